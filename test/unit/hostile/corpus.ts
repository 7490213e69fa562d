// The hostile-input corpus of issue 13: malformed and hostile configs, flags and environment. Each
// case is a whole input and the field path (or flag, or file) the answer must name. Payloads that
// a shell would run `touch MARKER`, so the test can prove no shell was reached.

export const SECRET = "s3cr3t-Tok3n-9f8e7d";
export const MARKER = "@MARKER@";

export interface HostileCase {
  name: string;
  /** incluster.yaml's content (text or bytes); "@HEAD@" is replaced by a valid head. */
  config?: string | Uint8Array;
  /** What the config file is instead of a file. */
  special?: "directory" | "fifo" | "directory-walk" | "fifo-walk";
  /** Extra global flags before the command (e.g. ["-c", ""]); "@DIR@" is the case's folder. */
  flags?: string[];
  /** Extra files written in the case's folder. */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Commands to run; default validate, render smoke, run smoke. */
  commands?: ("validate" | "render" | "run")[];
  /** The suite render and run are asked for (default smoke). */
  suiteArg?: string;
  /** Extra arguments for run (flags of run itself). */
  runArgs?: string[];
  /** The field path, flag or file the message must name. */
  path: string | RegExp;
  /** More text the message must contain (the fix). */
  fix?: string | RegExp;
}

export const HEAD = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image: { registry: registry.example.com/team }
`;
const GIT = `source: { git: { url: "https://example.com/r.git", ref: main } }\n`;
const OK = `${HEAD}${GIT}`;
const SUITE = `suites:\n  smoke: { test: tests/e2e }\n`;
const touch = `$(touch ${MARKER})`;
const sk = (name: string, key = "k") => `${OK}suites:\n  smoke:\n    test: t\n    env:\n      DB: { secretKeyRef: { name: ${JSON.stringify(name)}, key: ${JSON.stringify(key)} } }\n`;
const cm = (name: string, key = "k") => `${OK}suites:\n  smoke:\n    test: t\n    env:\n      DB: { configMapKeyRef: { name: ${JSON.stringify(name)}, key: ${JSON.stringify(key)} } }\n`;
const gitUrl = (url: string) => `${HEAD}source: { git: { url: ${JSON.stringify(url)}, ref: main } }\n${SUITE}`;
const localUrl = (url: string) => `${HEAD}source: { local: { url: ${JSON.stringify(url)} } }\n${SUITE}`;
const ref = (r: string) => `${HEAD}source: { git: { url: "https://example.com/r.git", ref: ${JSON.stringify(r)} } }\n${SUITE}`;
const res = (block: string) => `${OK}suites:\n  smoke:\n    test: t\n    resources: ${block}\n`;
const suiteField = (field: string) => `${OK}suites:\n  smoke: { test: t, ${field} }\n`;
const env = (name: string, value: string) => `${OK}suites:\n  smoke:\n    test: t\n    env:\n      ${name}: ${value}\n`;
const utf16 = (s: string, le: boolean, bom: boolean) => {
  const b = Buffer.from(s, "utf16le");
  if (!le) b.swap16();
  return Buffer.concat([bom ? Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), b]);
};
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const bomb = `${OK}a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n${SUITE}`;

export const CASES: HostileCase[] = [
  // --- Secrets printed back -------------------------------------------------------------------
  { name: "https URL with user:token", config: gitUrl(`https://user:${SECRET}@github.com/o/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "https URL with a bare token as user", config: gitUrl(`https://${SECRET}@github.com/o/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "http URL with x-access-token", config: gitUrl(`http://x-access-token:${SECRET}@git.example.com/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "HTTPS (upper case) URL with credentials", config: gitUrl(`HTTPS://u:${SECRET}@h/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "git:// URL with credentials", config: gitUrl(`git://u:${SECRET}@h/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "ssh:// URL with a password", config: gitUrl(`ssh://git:${SECRET}@h/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "URL with credentials and a port", config: gitUrl(`https://u:${SECRET}@h:8443/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "URL with percent-encoded credentials", config: gitUrl(`https://u%40x:${SECRET}%21@h/r.git`), path: "source.git.url", fix: "source.git.credentials" },
  { name: "source.local.url with credentials", config: localUrl(`https://u:${SECRET}@h/r.git`), path: "source.local.url", fix: "source.local.credentials" },
  { name: "env number value (unquoted secret)", config: env("DB_PASSWORD", "918273645546372819"), path: "suites.smoke.env.DB_PASSWORD", fix: "quote" },
  { name: "env boolean value", config: env("FLAG", "true"), path: "suites.smoke.env.FLAG", fix: "quote" },
  { name: "env list value holding a secret", config: env("TOKEN", `["${SECRET}"]`), path: "suites.smoke.env.TOKEN" },
  { name: "env mapping value holding a secret", config: env("TOKEN", `{ value: "${SECRET}" }`), path: "suites.smoke.env.TOKEN" },
  { name: "defaults.env number value", config: `${OK}defaults:\n  env: { API_KEY: 1234567890123 }\n${SUITE}`, path: "defaults.env.API_KEY" },
  { name: "-c at a .git-credentials file", config: "", flags: ["-c", "@DIR@/git-credentials"], files: { "git-credentials": `https://user:${SECRET}@github.com\n` }, path: "(top level)", fix: "-c/--config" },
  { name: "-c at an .npmrc", config: "", flags: ["-c", "@DIR@/.npmrc"], files: { ".npmrc": `//registry.npmjs.org/:_authToken=${SECRET}\n` }, path: "(top level)", fix: "-c/--config" },
  { name: "-c at a .env file", config: "", flags: ["-c", "@DIR@/.env"], files: { ".env": `TOKEN=${SECRET}\nUSER=me\n` }, path: "(top level)", fix: "-c/--config" },
  { name: "-c at a kubeconfig with a token", config: "", flags: ["-c", "@DIR@/kc"], files: { kc: `apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: { token: ${SECRET} }\n` }, path: "apiVersion" },
  { name: "-c at a JSON credentials file", config: "", flags: ["-c", "@DIR@/creds.json"], files: { "creds.json": `{"token": "${SECRET}", "user": "me"}\n` }, path: "apiVersion" },
  { name: "-c at a list of tokens", config: "", flags: ["-c", "@DIR@/t.yaml"], files: { "t.yaml": `- ${SECRET}\n- other\n` }, path: "(top level)" },
  { name: "-c at a bare token", config: "", flags: ["-c", "@DIR@/token"], files: { token: `${SECRET}\n` }, path: "(top level)" },
  { name: "unknown field named like a token", config: `${OK}${SUITE}token: ${SECRET}\n`, path: "token" },
  { name: "kubeconfig that does not parse, with a token", config: `${OK}${SUITE}`, commands: ["run"], flags: ["--kubeconfig", "@DIR@/kc"], files: { kc: `apiVersion: v1\nusers:\n- name: u\n  user: { token: ${SECRET} }\n  bad: [\n` }, path: "--kubeconfig" },
  { name: "kubeconfig that is only a token", config: `${OK}${SUITE}`, commands: ["run"], flags: ["--kubeconfig", "@DIR@/kc"], files: { kc: `${SECRET}\n` }, path: /kubeconfig/ },
  { name: "kubeconfig with a wrong type, with a token", config: `${OK}${SUITE}`, commands: ["run"], flags: ["--kubeconfig", "@DIR@/kc"], files: { kc: `apiVersion: v1\nclusters: 5\nusers:\n- name: u\n  user: { token: ${SECRET} }\n` }, path: /kubeconfig/ },
  { name: "KUBECONFIG that does not parse", config: `${OK}${SUITE}`, commands: ["run"], env: { KUBECONFIG: "@DIR@/kc" }, files: { kc: `users: [{ user: { token: ${SECRET} } }\n` }, path: /kubeconfig/ },

  // --- Names pasted into a shell script, values that become git options -----------------------
  { name: "secretKeyRef name with a command substitution", config: sk(`db${touch}`), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef name with ; touch", config: sk(`db; touch ${MARKER}`), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef name with backticks", config: sk(`db\`touch ${MARKER}\``), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef name with a double quote", config: sk(`db"; touch ${MARKER}; "`), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef name with a newline", config: sk(`db\ntouch ${MARKER}`), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef name upper case", config: sk("DB"), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef name of 254 characters", config: sk("a".repeat(254)), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef key with a space", config: sk("db", "pass word"), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef key ..", config: sk("db", ".."), path: "suites.smoke.env.DB" },
  { name: "secretKeyRef key starting with .. (found by the dry-run fuzz)", config: sk("db", "..x"), path: "suites.smoke.env.DB" },
  { name: "configMapKeyRef name with $()", config: cm(`cfg${touch}`), path: "suites.smoke.env.DB" },
  { name: "configMapKeyRef name with a pipe", config: cm(`cfg | sh -c 'touch ${MARKER}'`), path: "suites.smoke.env.DB" },
  { name: "configMapKeyRef key with a slash", config: cm("cfg", "a/b"), path: "suites.smoke.env.DB" },
  { name: "credentials.secretRef with a command", config: `${HEAD}source: { git: { url: "https://h/r.git", ref: main, credentials: { secretRef: "x${touch}" } } }\n${SUITE}`, path: "source.git.credentials.secretRef" },
  { name: "git URL that is an option", config: gitUrl(`--upload-pack=touch ${MARKER}`), path: "source.git.url" },
  { name: "git URL -u", config: gitUrl(`-utouch`), path: "source.git.url" },
  { name: "local URL that is an option", config: localUrl(`--upload-pack=touch`), path: "source.local.url" },
  { name: "ref that is an option", config: ref(`--upload-pack=touch`), path: "source.git.ref" },
  { name: "ref with ..", config: ref("a..b"), path: "source.git.ref" },
  { name: "ref ending in .lock", config: ref("main.lock"), path: "source.git.ref" },
  { name: "ref with @{", config: ref("main@{1}"), path: "source.git.ref" },
  { name: "ref with a control character", config: ref("ma\u0001in"), path: "source.git.ref" },
  { name: "remote name that is an option", config: `${HEAD}source: { local: { remote: "--mirror" } }\n${SUITE}`, path: "source.local.remote" },
  { name: "env name with a command", config: env(`"X$(touch ${MARKER})"`, '"v"'), path: /suites\.smoke\.env/ },
  { name: "env name with a space", config: env(`"A B"`, '"v"'), path: /suites\.smoke\.env/ },

  // --- Wrong exit code or unclear message ---------------------------------------------------------
  { name: "alias bomb", config: bomb, path: "(top level)", fix: "aliases" },
  { name: "undefined alias", config: `${OK}${SUITE}defaults: { env: *nope }\n`, path: "defaults.env", fix: "*nope" },
  { name: "alias before its anchor", config: `${OK}defaults: { env: *later }\nsuites:\n  smoke: { test: t, env: &later { A: b } }\n`, path: /defaults\.env|top level/ },
  { name: "directory named incluster.yaml (-c)", special: "directory", path: "-c/--config" },
  { name: "directory named incluster.yaml (found)", special: "directory-walk", path: "incluster.yaml", fix: "a directory" },
  { name: "FIFO named incluster.yaml (-c)", special: "fifo", path: "incluster.yaml", fix: "FIFO" },
  { name: "FIFO named incluster.yaml (found)", special: "fifo-walk", path: "incluster.yaml", fix: "FIFO" },
  { name: "UTF-16 LE with BOM", config: utf16(`${OK}${SUITE}`, true, true), path: "incluster.yaml", fix: "UTF-16" },
  { name: "UTF-16 BE with BOM", config: utf16(`${OK}${SUITE}`, false, true), path: "incluster.yaml", fix: "UTF-16" },
  { name: "UTF-16 LE without BOM", config: utf16(`${OK}${SUITE}`, true, false), path: "incluster.yaml", fix: "UTF-16" },
  { name: "UTF-16 BE without BOM", config: utf16(`${OK}${SUITE}`, false, false), path: "incluster.yaml", fix: "UTF-16" },
  { name: "UTF-32 LE with BOM", config: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from("a\0\0\0")]), path: "incluster.yaml", fix: "UTF-32" },
  { name: "Latin-1 byte in a value", config: bytes(`${OK}suites:\n  smoke: { test: "caf`, [0xe9], `" }\n`), path: /incluster\.yaml:7/, fix: "UTF-8" },
  { name: "Windows-1252 quote", config: bytes(`${OK}`, [0x93], `x`, [0x94], `: 1\n${SUITE}`), path: /incluster\.yaml:6/, fix: "UTF-8" },
  { name: "overlong UTF-8", config: bytes(`${OK}${SUITE}x: "`, [0xc0, 0xaf], `"\n`), path: /incluster\.yaml:8/, fix: "UTF-8" },
  { name: "UTF-8 surrogate", config: bytes(`${OK}${SUITE}x: "`, [0xed, 0xa0, 0x80], `"\n`), path: /incluster\.yaml:8/, fix: "UTF-8" },
  { name: "truncated UTF-8 at the end", config: bytes(`${OK}${SUITE}x: `, [0xe2, 0x82]), path: /incluster\.yaml:8/, fix: "UTF-8" },
  { name: "NUL byte", config: bytes(`${OK}${SUITE}x: a`, [0], `b\n`), path: /incluster\.yaml:8/, fix: "NUL" },
  { name: "unterminated double quote, last line", config: `${OK}suites:\n  smoke: { test: "t }\n`, path: /incluster\.yaml:7:/, fix: "closing quote" },
  { name: "unterminated double quote, mid-file", config: `${OK}namespace2: "abc\nsuites:\n  smoke: { test: t }\n`, path: /incluster\.yaml:6:/, fix: "closing quote" },
  { name: "unterminated single quote", config: `${OK}${SUITE}x: 'abc\n`, path: /incluster\.yaml:8:/, fix: "closing quote" },
  { name: "unclosed flow mapping", config: `${OK}suites: { smoke: { test: t }\n`, path: /incluster\.yaml:6:/ },
  { name: "1.5 MB value is clipped", config: `${OK}${SUITE}extra: "${"v".repeat(1.5 * 1024 * 1024)}"\n`, path: "extra" },
  { name: "1.5 MB block key", config: `${OK}${SUITE}${"k".repeat(1.5 * 1024 * 1024)}: 1\n`, path: /incluster\.yaml:8/ },
  { name: "1.5 MB env name is clipped", config: `${OK}${SUITE}defaults: { env: { ${"K".repeat(1.5 * 1024 * 1024)}: 1 } }\n`, path: /defaults\.env\.K{60}… \(1572864 characters\)/ },
  { name: "1.5 MB suite name is clipped", config: `${OK}suites: { ${"s".repeat(1.5 * 1024 * 1024)}: { test: t } }\n`, path: /suites\.s{60}… \(1572864 characters\)/ },
  { name: "10 MB config is refused by its size", config: `${OK}suites:\n${"  s: { test: t }\n".repeat(600_000)}`, path: /is \d+\.\d MiB \(\d+ bytes\)[^]*at most 2\.0 MiB/ },
  { name: "-c ''", flags: ["-c", ""], config: `${OK}${SUITE}`, path: "-c/--config" },
  { name: "-c at a missing file", flags: ["-c", "@DIR@/nope.yaml"], config: `${OK}${SUITE}`, path: "-c/--config" },
  { name: "INCLUSTER_CONFIG at a directory", env: { INCLUSTER_CONFIG: "@DIR@" }, config: `${OK}${SUITE}`, path: "INCLUSTER_CONFIG" },
  { name: "deep nesting", config: `${OK}${SUITE}x: ${"[".repeat(20000)}${"]".repeat(20000)}\n`, path: /x|top level|incluster\.yaml/ },
  { name: "two documents", config: `${OK}${SUITE}---\n${OK}${SUITE}`, path: /incluster\.yaml:\d+/ },
  { name: "tab indentation", config: `${OK}suites:\n\tsmoke: { test: t }\n`, path: /incluster\.yaml:\d+/ },
  { name: "duplicate suite", config: `${OK}suites:\n  smoke: { test: t }\n  smoke: { test: u }\n`, path: "suites.smoke", fix: "duplicate key" },
  { name: "duplicate env name", config: `${OK}suites:\n  smoke:\n    test: t\n    env: { A: "1", A: "2" }\n`, path: "suites.smoke.env.A", fix: "duplicate key" },
  { name: "duplicate top-level key", config: `${OK}${SUITE}namespace: other\n`, path: "namespace", fix: "duplicate key" },
  { name: "list as a key", config: `${OK}${SUITE}? [a, b]\n: 1\n`, path: "(top level)", fix: "plain names as keys" },
  { name: "mapping as a key", config: `${OK}suites:\n  ? { a: b }\n  : { test: t }\n`, path: "suites", fix: "plain names as keys" },
  { name: "empty file", config: "", path: "(top level)" },
  { name: "only comments", config: "# nothing\n", path: "(top level)" },
  { name: "a scalar document", config: "hello\n", path: "(top level)" },

  // --- Accepted but wrong -------------------------------------------------------------------------
  { name: "negative cpu (string)", config: res("{ requests: { cpu: -500m } }"), path: "suites.smoke.resources.requests.cpu", fix: "0 or more" },
  { name: "negative memory (number)", config: res("{ limits: { memory: -1 } }"), path: "suites.smoke.resources.limits.memory", fix: "0 or more" },
  { name: "negative with exponent", config: res("{ limits: { memory: -1e3 } }"), path: "suites.smoke.resources.limits.memory" },
  { name: "memory request above limit", config: res("{ requests: { memory: 4Gi }, limits: { memory: 2Gi } }"), path: "suites.smoke.resources.requests.memory", fix: "more than the limit" },
  { name: "cpu request above limit (mixed units)", config: res("{ requests: { cpu: 2 }, limits: { cpu: 1500m } }"), path: "suites.smoke.resources.requests.cpu", fix: "more than the limit" },
  { name: "defaults: request above limit", config: `${OK}defaults:\n  resources: { requests: { memory: 1G }, limits: { memory: 1Mi } }\n${SUITE}`, path: "defaults.resources.requests.memory" },
  { name: "unknown resource name gpu", config: res("{ limits: { gpu: 1 } }"), path: "suites.smoke.resources.limits.gpu", fix: "extended resource" },
  { name: "resource name CPU (upper case)", config: res("{ requests: { CPU: 1 } }"), path: "suites.smoke.resources.requests.CPU" },
  { name: "resource name in kubernetes.io", config: res("{ limits: { kubernetes.io/foo: 1 } }"), path: "suites.smoke.resources.limits.kubernetes.io/foo" },
  { name: "resource name with a space", config: res('{ limits: { "my cpu": 1 } }'), path: 'suites.smoke.resources.limits."my cpu"' },
  { name: "extended resource not whole", config: res("{ limits: { example.com/gpu: 1.5 } }"), path: "suites.smoke.resources.limits.example.com/gpu", fix: "whole number" },
  { name: "extended resource request without limit", config: res("{ requests: { example.com/gpu: 1 } }"), path: "suites.smoke.resources.limits.example.com/gpu", fix: "equal" },
  { name: "hugepages without cpu or memory", config: res("{ limits: { hugepages-2Mi: 2Mi } }"), path: "suites.smoke.resources", fix: "cpu or memory" },
  { name: "quantity that overflows", config: res("{ limits: { memory: 1e400 } }"), path: "suites.smoke.resources.limits.memory" },
  { name: "quantity .inf", config: res("{ limits: { memory: .inf } }"), path: "suites.smoke.resources.limits.memory" },
  { name: "quantity .nan", config: res("{ limits: { cpu: .nan } }"), path: "suites.smoke.resources.limits.cpu" },
  { name: "quantity 10Ei", config: res("{ limits: { memory: 10Ei } }"), path: "suites.smoke.resources.limits.memory", fix: "8Pi" },
  { name: "quantity with a space", config: res('{ limits: { memory: "512 Mi" } }'), path: "suites.smoke.resources.limits.memory" },
  { name: "empty suites", config: `${OK}suites: {}\n`, path: "suites", fix: "at least one suite" },
  { name: "suites null", config: `${OK}suites:\n`, path: "suites" },
  { name: "suites a list", config: `${OK}suites: [smoke]\n`, path: "suites" },
  { name: "__proto__ suite", config: `${OK}suites:\n  __proto__: { test: t }\n  smoke: { test: t }\n`, path: "suites.__proto__", fix: "rename" },
  { name: "__proto__ env name", config: env("__proto__", '"x"'), path: "suites.smoke.env.__proto__", fix: "rename" },
  { name: "__proto__ at the top", config: `${OK}${SUITE}__proto__: { polluted: true }\n`, path: "__proto__" },
  { name: "__proto__ as the only suite", config: `${OK}suites:\n  __proto__: { test: t }\n`, path: "suites.__proto__" },
  { name: "timeout 1e20 hours", config: suiteField("timeout: 100000000000000000000h"), path: "suites.smoke.timeout", fix: "at most 8760h" },
  { name: "timeout of 3.6e26 seconds", config: suiteField(`timeout: ${"9".repeat(23)}h`), path: "suites.smoke.timeout" },
  { name: "timeout 9000h", config: suiteField("timeout: 9000h"), path: "suites.smoke.timeout" },
  { name: "timeout 0s", config: suiteField("timeout: 0s"), path: "suites.smoke.timeout" },
  { name: "timeout negative", config: suiteField("timeout: -5m"), path: "suites.smoke.timeout" },
  { name: "ttl beyond int32", config: suiteField("ttlSecondsAfterFinished: 2147483648"), path: "suites.smoke.ttlSecondsAfterFinished" },
  { name: "ttl 1e20", config: suiteField("ttlSecondsAfterFinished: 1e20"), path: "suites.smoke.ttlSecondsAfterFinished" },
  { name: "ttl negative", config: suiteField("ttlSecondsAfterFinished: -1"), path: "suites.smoke.ttlSecondsAfterFinished" },
  { name: "ttl a fraction", config: suiteField("ttlSecondsAfterFinished: 0.5"), path: "suites.smoke.ttlSecondsAfterFinished" },
  { name: "namespace too long", config: `${OK.replace("namespace: demo", `namespace: ${"n".repeat(64)}`)}${SUITE}`, path: "namespace" },
  { name: "namespace upper case", config: `${OK.replace("namespace: demo", "namespace: Demo")}${SUITE}`, path: "namespace" },
  { name: "namespace with a command", config: `${OK.replace("namespace: demo", `namespace: "x${touch}"`)}${SUITE}`, path: "namespace" },
  { name: "suite name 48 characters", config: `${OK}suites:\n  ${"a".repeat(48)}: { test: t }\n`, path: `suites.${"a".repeat(48)}` },
  { name: "suite name with a command", config: `${OK}suites:\n  "a${touch}": { test: t }\n`, path: /suites\."a\$\(touch/ },
  { name: "env value with NUL", config: env("A", '"a\\0b"'), path: "suites.smoke.env.A" },
  { name: "env value over 256 KiB", config: env("A", `"${"x".repeat(300 * 1024)}"`), path: "suites.smoke.env.A" },
  { name: "test target over 4096 characters", config: suiteField(`test: ${"t".repeat(5000)}`).replace("{ test: t, ", "{ "), path: "suites.smoke.test" },
  { name: "command with NUL", config: `${OK}suites:\n  smoke: { command: ["a\\0b"] }\n`, path: "suites.smoke.command[0]" },
  { name: "image with a space", config: suiteField("image: 'a b:1'"), path: "suites.smoke.image" },
  { name: "apiVersion with a command", config: `${OK.replace("incluster.dev/v1alpha1", `"${touch}"`)}${SUITE}`, path: "apiVersion" },

  { name: "nodeSelector value too long", config: suiteField(`scheduling: { nodeSelector: { pool: ${"v".repeat(64)} } }`), path: "suites.smoke.scheduling.nodeSelector.pool" },
  { name: "nodeSelector value with a space", config: suiteField(`scheduling: { nodeSelector: { pool: "a b" } }`), path: "suites.smoke.scheduling.nodeSelector.pool" },
  { name: "nodeSelector key with a command", config: suiteField(`scheduling: { nodeSelector: { "x${touch}": a } }`), path: "suites.smoke.scheduling.nodeSelector" },
  { name: "toleration without key, operator Equal", config: suiteField(`scheduling: { tolerations: [{ value: x, effect: NoSchedule }] }`), path: "suites.smoke.scheduling.tolerations[0].operator" },
  { name: "toleration Exists with a value", config: suiteField(`scheduling: { tolerations: [{ key: k, operator: Exists, value: v }] }`), path: "suites.smoke.scheduling.tolerations[0].value" },
  { name: "tolerationSeconds without NoExecute", config: suiteField(`scheduling: { tolerations: [{ key: k, value: v, effect: NoSchedule, tolerationSeconds: 5 }] }`), path: "suites.smoke.scheduling.tolerations[0].tolerationSeconds" },
  { name: "tolerationSeconds 1e20", config: suiteField(`scheduling: { tolerations: [{ key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 1e20 }] }`), path: "suites.smoke.scheduling.tolerations[0].tolerationSeconds" },
  { name: "toleration key with a space", config: suiteField(`scheduling: { tolerations: [{ key: "a b", operator: Exists }] }`), path: "suites.smoke.scheduling.tolerations[0].key" },

  // --- Flags and environment ----------------------------------------------------------------------
  { name: "-n with a command", config: `${OK}${SUITE}`, flags: ["-n", `x${touch}`], path: "-n/--namespace" },
  { name: "INCLUSTER_NAMESPACE too long", config: `${OK}${SUITE}`, env: { INCLUSTER_NAMESPACE: "n".repeat(70) }, path: "INCLUSTER_NAMESPACE" },
  { name: "INCLUSTER_TIMEOUT of 1e30 hours", config: `${OK}${SUITE}`, env: { INCLUSTER_TIMEOUT: `1${"0".repeat(30)}h` }, path: "INCLUSTER_TIMEOUT" },
  { name: "INCLUSTER_TIMEOUT a command", config: `${OK}${SUITE}`, env: { INCLUSTER_TIMEOUT: touch }, path: "INCLUSTER_TIMEOUT" },
  { name: "run --timeout huge", config: `${OK}${SUITE}`, commands: ["run"], runArgs: ["--timeout", "99999999h"], path: "--timeout" },
  { name: "run --timeout 10 MB", config: `${OK}${SUITE}`, commands: ["run"], runArgs: ["--timeout", "9".repeat(1024 * 1024)], path: "--timeout" },
  { name: "run --fail-fast of 1 MB", config: `${OK}${SUITE}`, commands: ["run"], runArgs: ["--fail-fast", "9".repeat(1024 * 1024)], path: "--fail-fast" },
  { name: "run --concurrency of 1 MB", config: `${OK}${SUITE}`, commands: ["run"], runArgs: ["--concurrency", "x".repeat(1024 * 1024)], path: "--concurrency" },
  { name: "suite argument of 1 MB", config: `${OK}${SUITE}`, commands: ["render", "run"], suiteArg: "s".repeat(1024 * 1024), path: "unknown suite" },
  { name: "suite argument with a command", config: `${OK}${SUITE}`, commands: ["render", "run"], suiteArg: `x${touch}`, path: "unknown suite" },
  { name: "run --concurrency -1", config: `${OK}${SUITE}`, commands: ["run"], runArgs: ["--concurrency", "-1"], path: "--concurrency" },
  { name: "run --fail-fast with a command", config: `${OK}${SUITE}`, commands: ["run"], runArgs: ["--fail-fast", touch], path: "--fail-fast" },
  { name: "--context unknown", config: `${OK}${SUITE}`, commands: ["run"], flags: ["--context", `nope${touch}`], path: "--context" },
];
