// client-node's generated API classes, sending through our one Transport instead of a fresh TLS
// connection per request (client-node 1.x creates an agent per request: no reuse).
import { ResponseContext, ServerConfiguration, createConfiguration, wrapHttpLibrary } from "../vendor/kube.js";
import type { Configuration, KubeConfig, RequestContext } from "@kubernetes/client-node";
import type * as https from "node:https";
import type { Credentials } from "./link.js";
import type { Transport } from "./transport.js";

/** The kubeconfig's TLS material and auth headers (token, basic), as the client would apply them. */
export async function kubeconfigCredentials(kc: KubeConfig): Promise<Credentials> {
  const o: https.RequestOptions & { headers: Record<string, string> } = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.headers)) if (v !== undefined) headers[k.toLowerCase()] = String(v);
  if (o.auth) headers.authorization = `Basic ${Buffer.from(o.auth).toString("base64")}`;
  const tls = {
    ...(o.ca ? { ca: o.ca as string | Buffer } : {}),
    ...(o.cert ? { cert: o.cert as string | Buffer } : {}),
    ...(o.key ? { key: o.key as string | Buffer } : {}),
    ...(o.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    ...(o.servername ? { servername: o.servername } : {}),
  };
  return { tls, headers };
}

/** A Configuration for `new CoreV1Api(config)` etc. whose every request goes through `transport`. */
export function transportConfiguration(server: string, transport: Transport): Configuration {
  const httpApi = wrapHttpLibrary({
    async send(req: RequestContext): Promise<ResponseContext> {
      const url = new URL(req.getUrl());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.getHeaders())) headers[k.toLowerCase()] = v;
      const body = req.getBody();
      const sent = typeof body === "string" || Buffer.isBuffer(body) ? body : undefined;
      const r = await transport.unary(req.getHttpMethod(), url.pathname + url.search, headers, sent);
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !k.startsWith(":")) flat[k] = Array.isArray(v) ? v.join(", ") : String(v);
      return new ResponseContext(r.status, flat, {
        text: async () => r.body.toString("utf8"),
        binary: async () => r.body,
        stream: () => new Blob([new Uint8Array(r.body)]).stream(),
      });
    },
  });
  // Credentials are the transport's: nothing to apply per request here.
  const none = { getName: () => "none", applySecurityAuthentication: () => undefined };
  return createConfiguration({ baseServer: new ServerConfiguration(server, {}), authMethods: { default: none }, httpApi });
}
