// `source:` in the config: where the test pod gets the code (git, the local working tree, or the
// image itself), and the clone container's image and credentials. Part of schema.ts's configSchema.
import * as z from "zod/mini";
import { describe, imageRef, meta, objectName, shown, strict, text, deferred } from "./fields.js";
import { gitRef, gitUrl, remoteName } from "./git-fields.js";

export const DEFAULT_CLONE_IMAGE = "docker.io/alpine/git:v2.43.0";

const credentials = deferred(() =>
  describe(
    strict({
      secretRef: describe(
        objectName("the name of a Secret in the namespace"),
        "Secret with keys username and password (a token): given to git in the clone container through secretKeyRef, never printed and never in the Job spec.",
      ),
    }),
    "Credentials for a private repository.",
  ),
);

const gitSource = deferred(() =>
  describe(
    strict({
      url: describe(gitUrl("source.git"), "Repository the clone container clones. Credentials never go in the URL: use credentials."),
      ref: describe(gitRef, "Branch or tag to clone. A 40-hex commit id is fetched exactly. Never falls back to another branch."),
      image: describe(z.optional(imageRef), `Image of the clone container. Default ${DEFAULT_CLONE_IMAGE}.`),
      credentials: z.optional(credentials),
    }),
    "Clone the code into an emptyDir at /workspace with the clone-repo container, which runs beside the tests (they wait for it). " +
      "run resolves the ref to a commit first and the pod checks out exactly that commit.",
  ),
);

const localSource = deferred(() =>
  describe(
    strict({
      path: describe(
        z.optional(text("a folder inside a git repository")),
        "Folder inside the git working tree to deliver, relative to the folder of incluster.yaml. Default: that folder. " +
          "The whole working tree of its repository is delivered.",
      ),
      remote: describe(
        z.optional(remoteName),
        "Remote whose commits the pod can fetch. Default origin. The base is the newest commit of HEAD that a remote-tracking branch of it contains.",
      ),
      url: describe(z.optional(gitUrl("source.local")), "URL the clone container fetches the base commit from. Default: the remote's URL."),
      image: describe(z.optional(imageRef), `Image of the clone container (needs sh, git, tar, gzip, xargs). Default ${DEFAULT_CLONE_IMAGE}.`),
      credentials: z.optional(credentials),
      include: describe(
        z.optional(
          z.array(text("a path or glob like config/test.env"), {
            error: (iss) => `expected a list of paths or globs like [config/test.env, certs/*.pem], got ${shown(iss.input)}`,
          }),
        ),
        "Files that look like credentials (.env*, *.pem, *.key, id_rsa*, *.kubeconfig, .npmrc or .pypirc with tokens) which the overlay may carry " +
          "all the same: paths or globs relative to the top of the working tree (* within a folder, ** across folders). " +
          "Default: none, and the run names the files it left out.",
      ),
    }),
    "Run the working tree as it is on disk: uncommitted and untracked (not ignored) files, without a git push. " +
      "The pod clones the base commit and applies an overlay from a per-run ConfigMap (at most 1 MiB compressed).",
  ),
);

export const sourceSchema = describe(
  meta(
    strict({
      git: z.optional(gitSource),
      image: describe(z.optional(strict({})), "The code is already in the test image at /workspace; nothing is cloned."),
      local: z.optional(localSource),
    }).check(
      z.superRefine((s, ctx) => {
        const set = (["git", "image", "local"] as const).filter((k) => s[k] !== undefined);
        if (set.length !== 1) {
          ctx.addIssue({ code: "custom", message: `set exactly one of git, image or local; ${set.length === 0 ? "none is set" : `got ${set.join(" and ")}`}` });
        }
      }),
    ),
    { minProperties: 1, maxProperties: 1 },
  ),
  "Where the test pod gets the code: exactly one of git, local or image.",
);
