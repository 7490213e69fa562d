// fast-check arbitraries for incluster.yaml: every field drawn from a pool that mixes valid values,
// YAML 1.1 words, shell payloads, Kubernetes edge cases and random text, so a generated config is
// sometimes valid and often not. Shared by the unit fuzz tests and the dry-run integration test.
import fc from "fast-check";

/** Characters that trip up quoting, trimming and encodings (NEL is whitespace to Go, not to JS). */
const ODD_CHARS = ["\u0085", "\u00a0", "\u200b", "\ufeff", "\u2028", "\t", "\r", "\n", "\u0000", "\u001b", "é", "😀", "$", "`", "'", '"', "\\", ";", "|", "&", "#", ":", "-", "*", "!", "%", "@", "{", "}", "[", "]", ",", "?", "<<", "="];

export const YAML11_WORDS = ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "true", "null", "~", "1_000", "0x1F", "0777", "2024-01-01", "1e3", ".inf", "12", "1:20", "=", "<<"];
export const SHELL_PAYLOADS = ["$(touch /tmp/incluster-fuzz-marker)", "`touch /tmp/incluster-fuzz-marker`", "; touch /tmp/incluster-fuzz-marker", "' ; touch /tmp/incluster-fuzz-marker; '", "--upload-pack=touch /tmp/incluster-fuzz-marker"];

const oddText = fc.array(fc.oneof(fc.constantFrom(...ODD_CHARS), fc.string({ maxLength: 4 })), { maxLength: 6 }).map((a) => a.join(""));
const anyText = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: "grapheme", maxLength: 12 }), fc.string({ unit: "binary", maxLength: 12 }), oddText, fc.constantFrom(...YAML11_WORDS, ...SHELL_PAYLOADS));
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,12}[a-z0-9])?$/);
const scalar = fc.oneof(anyText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** Odd but legal text: any string without NUL (env values, test targets, install commands, argv). */
const legalText = fc.oneof(anyText, fc.constantFrom(...YAML11_WORDS, ...SHELL_PAYLOADS)).map((t) => t.replace(/\0/g, "")).filter((t) => t.length > 0);

/**
 * The pools of one generator. `hostile`: every field is sometimes wrong in any way; otherwise every
 * field is valid, with odd but legal values (YAML 1.1 words, shell payloads, unicode) where they are allowed.
 */
function pools(hostile: boolean) {
  const pick = <T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>, weight = 4): fc.Arbitrary<unknown> => (hostile ? fc.oneof({ arbitrary: valid, weight }, { arbitrary: bad, weight: 1 }) : valid);
  const name = pick(label, fc.oneof(fc.constantFrom("__proto__", "Smoke", "-x", "a".repeat(48)), anyText));
  const objectName = pick(fc.tuple(label, fc.option(label, { nil: undefined })).map(([a, b]) => (b ? `${a}.${b}` : a)), fc.oneof(anyText, fc.constant("a".repeat(254))));
  const key = pick(fc.stringMatching(/^[-._a-zA-Z0-9]{1,20}$/).filter((k) => k !== "." && !k.startsWith("..")), anyText);
  const ref = (kind: "secretKeyRef" | "configMapKeyRef") => fc.record({ [kind]: fc.record({ name: objectName, key }) });
  const envValue = pick(fc.oneof({ arbitrary: legalText, weight: 6 }, { arbitrary: ref("secretKeyRef"), weight: 2 }, { arbitrary: ref("configMapKeyRef"), weight: 2 }), scalar);
  const envName = pick(fc.oneof(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), fc.constantFrom("PYTHONUNBUFFERED", "API_TOKEN", "yes", "on")), fc.oneof(fc.constantFrom("__proto__", "1X", "A-B"), anyText));
  const env = fc.dictionary(envName as fc.Arbitrary<string>, envValue, { maxKeys: 4 });

  const unit = fc.constantFrom("", "m", "Mi", "Gi", "Ki", "k", "M", "G", "e3", "E2");
  // Requests at most the limits, as the API server demands (the hostile pool breaks that too).
  const validResources = fc
    .uniqueArray(fc.tuple(fc.constantFrom("cpu", "memory", "ephemeral-storage"), fc.integer({ min: 1, max: 4000 }), unit, fc.constantFrom("requests", "limits", "both")), { maxLength: 3, selector: (e) => e[0] })
    .map((entries) => {
      const requests: Record<string, string> = {};
      const limits: Record<string, string> = {};
      for (const [n, v, u, where] of entries) {
        if (where !== "limits") requests[n] = `${v}${u}`;
        if (where !== "requests") limits[n] = `${v * 2}${u}`;
      }
      return { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
    });
  const badQuantity = fc.oneof(fc.constantFrom(".5", "5.", "-1", "-500m", "1e400", "10Ei", "9Pi", "1.5 Gi", "0.0000001", "+1", "1e+3"), fc.double({ min: -10, max: 1e6 }), anyText);
  const badName = fc.constantFrom("hugepages-2Mi", "hugepages-1Gi", "example.com/gpu", "gpu", "CPU", "kubernetes.io/x", "requests.cpu", "a/b/c");
  const resources = pick(validResources, fc.record({ requests: fc.dictionary(fc.oneof(badName, fc.constantFrom("cpu", "memory")), badQuantity, { maxKeys: 2 }), limits: fc.dictionary(fc.oneof(badName, fc.constantFrom("cpu", "memory")), badQuantity, { maxKeys: 2 }) }, { requiredKeys: [] }));
  const duration = pick(
    fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 30 }), fc.nat(90), fc.nat(90)).map(([h, m, sec]) => `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${sec || (!h && !m) ? `${sec || 1}s` : ""}`),
      fc.constantFrom("30m", "1h", "8760h", "1h30m"),
    ),
    fc.oneof(fc.constantFrom("8761h", "0s", "99999999999999999999h", "-5m", "1d", "soon"), anyText),
  );
  const seconds = pick(fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(0, 3600, 2 ** 31 - 1)), fc.oneof(fc.constantFrom(-1, 2 ** 31, 1e20, 0.5), scalar));
  const imageRef = pick(fc.oneof(fc.tuple(label, label, fc.nat(99)).map(([r, n, t]) => `registry.example.com/${r}/${n}:${t}`), fc.constantFrom("node:22", "python:3.13-slim", "docker.io/library/busybox@sha256:" + "a".repeat(64))), fc.oneof(fc.constantFrom("https://x/y:1", "a b:1", "/abs:1", "x:1\u0085", "é:1"), anyText));
  const target = pick(fc.oneof(fc.constantFrom("tests/e2e", "tests/e2e/test_x.py::test_y"), legalText), fc.oneof(scalar, fc.constant("")));
  const command = pick(fc.array(legalText, { minLength: 1, maxLength: 3 }), fc.oneof(fc.constant([]), scalar, fc.array(scalar, { maxLength: 2 })));
  const bool = pick(fc.boolean(), scalar);

  const taint = fc.oneof(
    fc.record({ key: label, operator: fc.constant("Exists"), effect: fc.constantFrom("NoSchedule", "PreferNoSchedule") }),
    fc.record({ key: label, operator: fc.constant("Equal"), value: fc.constantFrom("yes", "on", "2024-01-01", "e2e"), effect: fc.constantFrom("NoSchedule", "NoExecute") }),
    fc.record({ key: label, operator: fc.constant("Exists"), effect: fc.constant("NoExecute"), tolerationSeconds: fc.nat(100_000) }),
    fc.constant({ operator: "Exists" }),
  );
  const scheduling = pick(
    fc.record({ nodeSelector: fc.dictionary(fc.oneof(label, label.map((l) => `example.com/${l}`)), fc.oneof(label, fc.constantFrom("yes", "on", "true", "2024-01-01", ""))), tolerations: fc.array(taint, { maxLength: 2 }) }, { requiredKeys: [] }),
    fc.oneof(fc.record({ nodeSelector: fc.dictionary(anyText, anyText, { maxKeys: 2 }) }), fc.record({ tolerations: fc.array(fc.record({ key: anyText, value: anyText, tolerationSeconds: scalar }, { requiredKeys: [] }), { maxLength: 2 }) })),
  );

  // Issue 24's pod fields: hostAliases and dnsConfig as the API server takes them, the identity
  // (auto or a uid), and podTemplate patches that keep the pod within "restricted" (the hostile
  // pool adds ones validate must refuse: privileged, hostPath, root, incluster's parts removed).
  const subdomain = fc.tuple(label, fc.option(label, { nil: undefined })).map(([a, b]) => (b ? `${a}.${b}.test` : `${a}.test`));
  const ip = fc.oneof(fc.ipV4(), fc.ipV6());
  const badIp = fc.oneof(fc.ipV4Extended(), fc.constantFrom("fe80::1%eth0", "10.0.0.1/24", "::ffff:999.1.1.1", "1.2.3.4:80", "1.2.3", "1::2::3", " 10.0.0.1"), anyText);
  const hostAliases = pick(
    fc.uniqueArray(fc.record({ ip, hostnames: fc.array(subdomain, { maxLength: 3 }) }, { requiredKeys: ["ip"] }), { selector: (a) => a.ip, maxLength: 3 }),
    fc.array(fc.record({ ip: badIp, hostnames: fc.array(fc.oneof(subdomain, anyText), { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 3 }),
  );
  const resolverOption = fc.record(
    { name: fc.constantFrom("ndots", "timeout", "attempts", "edns0", "rotate", "single-request"), value: fc.nat(15).map(String) },
    { requiredKeys: ["name"] },
  );
  const dnsConfig = pick(
    fc.record(
      {
        nameservers: fc.array(ip, { maxLength: 3 }),
        searches: fc.array(fc.tuple(subdomain, fc.boolean()).map(([d, dot]) => (dot ? `${d}.` : d)), { maxLength: 4 }),
        options: fc.array(resolverOption, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        nameservers: fc.array(fc.oneof(ip, badIp), { maxLength: 5 }),
        searches: fc.array(fc.oneof(subdomain, anyText), { maxLength: 40 }),
        options: fc.array(fc.record({ name: anyText, value: scalar }, { requiredKeys: [] }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  );
  const pod = fc.record({ hostAliases, dnsConfig }, { requiredKeys: [] });
  const uid = fc.integer({ min: 1, max: 2 ** 31 - 1 });
  const securityContext = pick(fc.record({ runAsUser: fc.oneof(fc.constant("auto"), uid) }), fc.record({ runAsUser: fc.oneof(fc.constantFrom(0, -1, 2 ** 31, 1.5, "root"), scalar) }));
  const restricted = { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };
  const validPatch = fc.oneof(
    fc.record({ metadata: fc.record({ labels: fc.dictionary(label.map((l) => `example.com/${l}`), label, { maxKeys: 2 }), annotations: fc.dictionary(label.map((l) => `team-${l}`), legalText, { maxKeys: 2 }) }, { requiredKeys: [] }) }),
    uid.map((u) => ({ spec: { securityContext: { runAsUser: u, fsGroup: u } } })),
    fc.record({ n: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), v: legalText }).map(({ n, v }) => ({ spec: { containers: [{ name: "test-runner", env: [{ name: n, value: v }] }] } })),
    fc.constant({ spec: { containers: [{ name: "proxy", image: "registry.example.com/envoy:1", securityContext: restricted }] } }),
    fc.constant({ spec: { volumes: [{ name: "scratch", emptyDir: { medium: "Memory" } }], containers: [{ name: "test-runner", volumeMounts: [{ name: "scratch", mountPath: "/scratch" }] }] } }),
    fc.nat(600).map((n) => ({ spec: { terminationGracePeriodSeconds: n } })),
    fc.constant({ spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" }] } }),
    fc.constant({ spec: { containers: [{ name: "test-runner", securityContext: { capabilities: { add: ["NET_BIND_SERVICE"] } } }] } }),
  );
  const badPatch = fc.oneof(
    fc.constant({ spec: { containers: [{ name: "test-runner", securityContext: { privileged: true } }] } }),
    fc.constant({ spec: { volumes: [{ name: "host", hostPath: { path: "/" } }] } }),
    fc.constant({ spec: { securityContext: { runAsUser: 0 } } }),
    fc.constant({ spec: { hostNetwork: true } }),
    fc.constant({ spec: { containers: [{ name: "test-runner", $patch: "delete" }] } }),
    fc.constant({ metadata: { labels: { app: "mine" } } }),
    fc.constant({ spec: { containers: [{ image: "no-name" }] } }),
    fc.record({ spec: scalar }),
    anyText,
  );
  const podTemplate = pick(validPatch, badPatch);

  const suite = fc
    .record({ pod, securityContext, podTemplate, scheduling, which: fc.constantFrom("test", "command", hostile ? "both" : "test", hostile ? "neither" : "command"), test: target, command, env, resources, timeout: duration, ttlSecondsAfterFinished: seconds, image: imageRef, install: pick(legalText, scalar), kubernetesAccess: bool }, { requiredKeys: ["which", "test", "command"] })
    .map(({ which, test, command, ...rest }) => ({ ...rest, ...(which === "test" || which === "both" ? { test } : {}), ...(which === "command" || which === "both" ? { command } : {}) }));

  const gitUrl = pick(fc.tuple(label, label).map(([h, r]) => `https://${h}.example.com/${r}.git`), fc.oneof(fc.constantFrom("https://user:tok@h/r.git", "https://tok@h/r.git", "-oProxyCommand=x", "--upload-pack=touch", "http://h/r b.git"), anyText));
  const gitRef = pick(fc.constantFrom("main", "v1.2.3", "release/1.0", "a".repeat(40), "yes", "on", "NO", "1_000", "2024-01-01", "0x1F", "12"), fc.oneof(fc.constantFrom("-x", "a..b", "x.lock", "@", "a@{1}", "/x", "x/"), anyText));
  const source = hostile
    ? fc.oneof(
        fc.record({ git: fc.record({ url: gitUrl, ref: gitRef, credentials: fc.record({ secretRef: objectName }) }, { requiredKeys: ["url", "ref"] }) }),
        fc.constant({ image: {} }),
        fc.record({ local: fc.record({ remote: pick(fc.constantFrom("origin", "upstream"), fc.constant("-x")), url: gitUrl, include: fc.array(anyText, { maxLength: 2 }) }, { requiredKeys: [] }) }),
        scalar,
      )
    : fc.oneof(fc.record({ git: fc.record({ url: gitUrl, ref: gitRef, credentials: fc.record({ secretRef: objectName }) }, { requiredKeys: ["url", "ref"] }) }), fc.constant({ image: {} }), fc.constant({ local: {} }));

  return fc.record(
    {
      apiVersion: pick(fc.constant("incluster.dev/v1alpha1"), anyText, 12),
      kind: pick(fc.constant("Config"), anyText, 12),
      namespace: pick(fc.oneof(label, fc.constantFrom("on", "yes", "2024-01-01")), fc.oneof(fc.constant("a".repeat(64)), anyText)),
      image: pick(fc.record({ registry: fc.constantFrom("registry.example.com/team", "127.0.0.1:5000/x") }), fc.record({ registry: anyText })),
      source,
      defaults: fc.record({ env, resources, timeout: duration, image: imageRef, ttlSecondsAfterFinished: seconds }, { requiredKeys: [] }),
      suites: fc.dictionary(name as fc.Arbitrary<string>, suite, { minKeys: hostile ? 0 : 1, maxKeys: 3 }),
    },
    { requiredKeys: ["apiVersion", "kind", "source", "suites", "image"] },
  );
}

/** Configs that are valid by construction, with odd values where they are legal. */
export const validConfigData = pools(false);
/** Configs where any field may be wrong in any way. */
export const hostileConfigData = pools(true);
/** Both, evenly: a whole incluster.yaml as data. */
export const configData = fc.oneof(validConfigData, hostileConfigData);
