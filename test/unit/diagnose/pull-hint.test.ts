import { describe, expect, it } from "vitest";
import { hintFor } from "../../../src/diagnose/hints.js";

describe("a pull error's hint names the suite's pull Secrets", () => {
  const image = "registry.example.com/team/test-smoke-e2e:sha-0123456789abcdef";

  it("without imagePullSecrets it says the suite names none", () => {
    const h = hintFor("imagePull", { namespace: "e2e", image });
    expect(h).toContain(`the node cannot pull ${image}`);
    expect(h).toContain("for a private registry a pull Secret named in imagePullSecrets (this suite names none)");
  });

  it("with imagePullSecrets it names them", () => {
    const h = hintFor("imagePull", { namespace: "e2e", image, pullSecrets: ["registry-creds", "mirror-creds"] });
    expect(h).toContain("that imagePullSecrets (registry-creds, mirror-creds) hold credentials for that registry.");
  });
});
