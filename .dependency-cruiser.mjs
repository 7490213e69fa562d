// Which way src/'s imports go, checked by dependency-cruiser: `npm run deps` alone, and in `npm test`
// (scripts/check.sh) right after lint, so a cycle or an upward import fails CI. Type-only imports
// count (tsPreCompilationDeps): a type that climbs up is as much a cycle as a value.
// docs/architecture.md, "Folders and their rules", says what each folder owns.
//
// The layers, bottom to top. A folder imports its own files, the leaves, and only the folders its
// rule below names, all of them lower:
//   0 leaves    the top-level files (errors.ts, exit-codes.ts, bytes.ts, echo.ts, names.ts,
//               k8s-types.ts, timers.ts, limiter.ts, ci-links.ts, error-text.ts), and vendor/ (the heavy
//               packages; which folders may load one is named per folder)
//   1 runners   the runner adapters: a target's check, the shell lines that run it, its report read back
//     config    what a user may write (it checks a suite's target with its runner's adapter)
//   2 render    config → Kubernetes objects;   build, source, import: the other stages over config
//     kube      the cluster port (beside render: it needs no config)
//   3 diagnose  Job/Pod/Event → phase, verdict, class
//   4 results   the result model (RunResult) and the test cases in it
//   5 events    the event stream (run.finished carries the RunResult)
//     history   a suite's memory across runs: the model, stats, trends, quarantine and shard balance (pure), its codec and stores
//   6 report    the formats and views of a result and of the stream;   otlp: the stream as OTLP logs
//     follow    the mechanics of following the cluster: shared watches, log followers, a Job followed
//               to its end (`logs`), a log copy's echo; under the engine, debug and api alike
//   7 run       the engine;   notify: a result to Slack/webhooks
//   8 debug     a failed suite's pod held open, judged by diagnose's classifier on follow's watch
//     dev       `incluster dev`'s held pod and its rounds (files in over pods/exec, tests run in place)
//   9 api       the library's functions (run, status, logs, clean, debug), over the engine and the stages
//  10 ci        the GitHub Action and step summary, over api
//  11 cli       the commands, over everything;   index.ts: the library's public surface
const LEAVES = ["errors", "exit-codes", "bytes", "echo", "names", "k8s-types", "timers", "limiter", "ci-links", "error-text"];
const FOLDERS = [
  "runners", "config", "render", "build", "source", "import", "kube", "diagnose", "results", "events", "history", "report", "otlp", "follow", "run", "notify", "debug", "dev", "api", "ci", "cli",
  "vendor",
];

const leafFiles = `^src/(${LEAVES.join("|")})\\.ts$`;
const folderPaths = (names) => names.map((n) => `^src/${n}/`);

/** `folder` may import its own files, the leaves, and the folders named: nothing else of ours. */
function layer(folder, may, why) {
  const allowed = may.length ? `the leaves and ${may.map((n) => `${n}/`).join(", ")}` : "only the leaves";
  return {
    name: `${folder}-layer`,
    comment: `${folder}/ may import ${allowed}: ${why}`,
    severity: "error",
    from: { path: `^src/${folder}/` },
    to: { path: "^src/", pathNot: [`^src/${folder}/`, leafFiles, ...folderPaths(may)] },
  };
}

/** A leaf file may import only the leaf files named. */
function leaf(file, may, why) {
  return {
    name: `leaf-${file}`,
    comment: `${file}.ts is a leaf: ${may.length ? `it imports only ${may.map((n) => `${n}.ts`).join(", ")}` : "it imports nothing of ours"}. ${why}`,
    severity: "error",
    from: { path: `^src/${file}\\.ts$` },
    to: { path: "^src/", pathNot: may.map((n) => `^src/${n}\\.ts$`) },
  };
}

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-circular",
      comment: "no module imports itself back, through any chain (type-only imports count)",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-circular-folders",
      comment: "no folder imports itself back through other folders: the folders form a tree of layers",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      comment: "every import resolves (an unresolved one would escape these rules)",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "known-place",
      comment: "every file of src/ is in a layer: a new folder or top-level file gets its rule in .dependency-cruiser.mjs",
      severity: "error",
      from: { path: "^src/", pathNot: [leafFiles, "^src/index\\.ts$", ...folderPaths(FOLDERS)] },
      to: {},
    },
    {
      name: "index-is-the-surface",
      comment: "src/index.ts is what library users import; nothing of ours imports it",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/index\\.ts$" },
    },

    // 0: the leaves.
    ...["bytes", "echo", "names", "k8s-types", "timers", "limiter", "ci-links", "exit-codes"].map((f) => leaf(f, [], "Every layer may use it.")),
    leaf("errors", ["exit-codes"], "Each error class carries its exit code."),
    leaf("error-text", ["errors", "exit-codes", "echo"], "How an error boundary (the CLI's, the Action's) words an error."),
    {
      name: "vendor-is-a-leaf",
      comment: "vendor/ re-exports the heavy packages and imports nothing of ours",
      severity: "error",
      from: { path: "^src/vendor/" },
      to: { path: "^src/", pathNot: "^src/vendor/" },
    },

    // 1-2: the configuration and the stages over it. kube/ needs no config: the port speaks objects.
    layer("runners", [], "the runner adapters (pytest, node, go): pure text in, shell lines and tests out; below config, which checks targets with them"),
    layer("config", ["runners"], "the configuration is the bottom of the domain, over the runners it names"),
    layer("render", ["config", "runners"], "objects from the resolved config; pure"),
    layer("build", ["config"], "the build stage: images from the config"),
    layer("source", ["config"], "the source stage: the commit or the local overlay"),
    layer("import", ["config", "render"], "the guide's files into a config"),
    layer("kube", ["vendor"], "the one port to Kubernetes; it knows no config, no engine"),

    // 3-6: what a run observed, as a verdict, a result, events and their views.
    layer("diagnose", ["config", "render"], "verdicts from Kubernetes objects; pure"),
    layer("results", ["diagnose", "runners", "vendor"], "the result model and the test cases (JUnit); pure"),
    layer("events", ["diagnose", "results"], "the event stream's types"),
    layer("history", ["kube", "results"], "a suite's memory across runs: model, codec, stats, trends (pure) and its stores (the port's ConfigMaps, a folder)"),
    layer("report", ["diagnose", "events", "results", "vendor"], "views and formats of a result or of the stream; pure"),
    layer("otlp", ["events", "vendor"], "the event stream as OTLP log records"),
    layer("follow", ["diagnose", "kube"], "the cluster followed: list-then-watch, log followers, a Job to its end; no engine, no config"),

    // 7: the engine, and the consumers of a finished run beside it.
    layer("run", ["config", "diagnose", "events", "follow", "history", "kube", "render", "report", "results", "runners", "vendor"], "the engine: stages in order, the cluster session"),
    layer("notify", ["config", "events", "report", "results"], "a finished run's result to its notify targets"),

    // 8-11: debug's held-open pod, the library, the Action, the CLI.
    layer("debug", ["diagnose", "follow", "kube"], "a failed suite's pod held open, judged by diagnose's classifier on follow's KindWatch"),
    layer(
      "dev",
      ["config", "debug", "diagnose", "events", "kube", "render", "results"],
      "the dev loop's held pod (the run's pod, its tests replaced by a hold) and one round in it: pure plans, one exec",
    ),
    layer("api", ["build", "config", "debug", "dev", "diagnose", "events", "follow", "history", "kube", "notify", "otlp", "render", "report", "results", "run", "source"], "the library's functions"),
    layer("ci", ["api", "config", "render", "report", "results"], "the GitHub Action and step summary, over the library"),
    layer(
      "cli",
      ["api", "build", "ci", "config", "debug", "dev", "diagnose", "events", "history", "import", "kube", "render", "report", "results", "run", "runners", "source"],
      "the commands: a shell over everything below (never imported by it)",
    ),
    {
      name: "index-layer",
      comment: "src/index.ts exports the library: it may import the leaves and api/, config/, diagnose/, events/, history/, kube/, results/ (never cli/ or ci/)",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/", pathNot: [leafFiles, ...folderPaths(["api", "config", "diagnose", "events", "history", "kube", "results"])] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    moduleSystems: ["es6", "cjs"],
  },
};
