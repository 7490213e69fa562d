// The guide's Dockerfile for one suite, with fixes: version specifiers are quoted (the guide's
// unquoted `aiohttp>=3.9.0` is a shell redirect that installs aiohttp unpinned and writes a file
// named "=3.9.0"), USER is numeric so the kubelet can verify runAsNonRoot, and the uid 1000
// user is created only when the base image lacks one (useradd fails on a taken uid).
import type { ResolvedSuite } from "../../config/resolve.js";
import { baseName } from "../../names.js";

// The guide's test libraries and pins.
const PYTHON_PACKAGES = [
  "pytest==8.4.2",
  "pytest-asyncio==0.25.2",
  "pytest-mock==3.14.0",
  "pytest-cov==5.0.0",
  '"aiohttp>=3.9.0"',
  '"pyyaml>=6.0"',
  '"pydantic>=2.0.0"',
  "requests",
  "psycopg2-binary",
];

export function dockerfile(suite: ResolvedSuite, baseImage: string): string {
  const dir = `jobs/${baseName(suite.name)}`;
  const bakeCode = suite.source.kind === "image";
  return `# Test image for the ${suite.name} suite (written by: incluster scaffold ${suite.name}).
# Build from the repository root:
#   podman build -t ${suite.image} -f ${dir}/Dockerfile .
FROM ${baseImage}

WORKDIR /app

# System dependencies
RUN apt-get update && apt-get install -y --no-install-recommends \\
    git \\
    build-essential \\
    && rm -rf /var/lib/apt/lists/*

# Python dependencies for end-to-end tests
RUN pip install --no-cache-dir \\
${PYTHON_PACKAGES.map((p) => `    ${p}`).join(" \\\n")}

# Non-root user with a home directory (uid/gid 1000, as the Job's securityContext expects),
# unless the base image already has one
RUN (getent group 1000 >/dev/null || groupadd -r -g 1000 jobuser) && \\
    (getent passwd 1000 >/dev/null || useradd -r -m -g 1000 -u 1000 jobuser) && \\
    mkdir -p /workspace && \\
    chown -R 1000:1000 /app /workspace

# Test runner script
COPY ${dir}/run_test.py /app/run_test.py
${bakeCode ? `\n# source: image: the code is baked in; nothing is cloned at run time\nCOPY --chown=1000:1000 . /workspace\n` : ""}
# The repository is ${bakeCode ? "copied" : "cloned"} here
WORKDIR /workspace

# Numeric, so the kubelet can check runAsNonRoot without reading /etc/passwd
USER 1000:1000

# Git identity for tests that commit; /workspace may be owned by another uid (an emptyDir's root)
RUN git config --global user.name "E2E Test Agent" && \\
    git config --global user.email "e2e@${suite.namespace}.local" && \\
    git config --global init.defaultBranch main && \\
    git config --global --add safe.directory /workspace

CMD ["python", "/app/run_test.py"]
`;
}
