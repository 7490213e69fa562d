# 127.0.0.1:5000/incluster/go:1.19 — go test suites (Debian bookworm's Go).
# BASE is the imported debootstrap rootfs of rootfs-debian-slim.sh (minbase +
# git + ca-certificates, uid 1000), the same layer as the node image. build.sh
# downloads the golang .debs on the host into debs/; the one RUN step installs
# them with dpkg from a bind mount (no .deb stays in the image) and runs with
# `podman build --network none`. --force-unsafe-io: no fsync per file (a
# failed build is simply redone).
ARG BASE
FROM ${BASE}
ARG RECIPE=unknown
ARG VERSIONS=unknown
LABEL org.opencontainers.image.title="incluster go test image" \
      org.opencontainers.image.description="Debian bookworm minbase + golang-go + git, user 1000, Go caches under /tmp, no network" \
      dev.incluster.recipe="${RECIPE}" \
      dev.incluster.versions="${VERSIONS}"
RUN --mount=type=bind,source=debs,target=/debs \
    dpkg --force-unsafe-io -i /debs/*.deb >/dev/null && \
    rm -rf /usr/share/doc/* /usr/share/man/* /var/log/dpkg.log /var/cache/debconf/*-old
# Every path Go writes is under /tmp, created on first use by whatever uid
# runs: incluster's test container (uid 1000) has a writable root filesystem
# (src/render/job.ts), and a pod with readOnlyRootFilesystem and an emptyDir
# on /tmp works too (build.sh's smoke test runs with --read-only).
# Tests get no network: no module proxy, no toolchain download (GOTOOLCHAIN
# matters from Go 1.21 on). -mod=mod reads modules from GOMODCACHE, never
# vendor/: a suite with vendored modules sets GOFLAGS=-mod=vendor in its env.
# No C compiler in the image, so no cgo.
ENV LANG=C.UTF-8 \
    HOME=/home/jobuser \
    GOPATH=/tmp/go \
    GOMODCACHE=/tmp/go/pkg/mod \
    GOCACHE=/tmp/go/cache \
    GOFLAGS=-mod=mod \
    GOTOOLCHAIN=local \
    GOPROXY=off \
    CGO_ENABLED=0 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/tmp/go/bin
WORKDIR /workspace
USER 1000:1000
CMD ["go", "version"]
