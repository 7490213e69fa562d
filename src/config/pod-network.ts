// The pod's name resolution (issue 24): hostAliases and dnsConfig, checked as the API server checks
// them (pkg/apis/core/validation: validateHostAliases, validateDNSConfig). Part of `pod:` (pod-fields.ts).
import * as z from "zod/mini";
import { describe, shown, strict, text, deferred } from "./fields.js";
import { isIP } from "./ip.js";
import { DNS_SUBDOMAIN_MAX, DNS_SUBDOMAIN_PATTERN } from "./names.js";

// The API server's limits on dnsConfig (pkg/apis/core/validation: MaxDNSNameservers,
// MaxDNSSearchPaths, MaxDNSSearchListChars), derived from libc's resolver.
export const DNS_NAMESERVERS_MAX = 3;
export const DNS_SEARCHES_MAX = 32;
export const DNS_SEARCH_LIST_MAX_CHARS = 2048;

const isSubdomain = (s: string) => s.length <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN_PATTERN.test(s);

const ipAddress = (what: string) =>
  text(`${what} like 10.0.0.5 or fd00::5`).check(
    z.refine(isIP, {
      error: (iss) => `expected ${what}: an IPv4 or IPv6 address like 10.0.0.5 or fd00::5 (no port, no zone, no /prefix), got ${shown(iss.input)}`,
    }),
  );

const hostname = deferred(() =>
  text("a hostname like api.test.internal").check(
    z.refine(isSubdomain, {
      error: (iss) =>
        `expected a hostname: at most ${DNS_SUBDOMAIN_MAX} lowercase letters, digits, '-' and '.' (a DNS-1123 subdomain), got ${shown(iss.input)}`,
    }),
  ),
);

const hostAlias = deferred(() =>
  strict({
    ip: describe(ipAddress("an IP address"), "The address these hostnames resolve to in the pod's /etc/hosts."),
    hostnames: describe(
      z.optional(z.array(hostname, { error: (iss) => `expected a list of hostnames like [api.test.internal], got ${shown(iss.input)}` })),
      "Names for ip, each a DNS-1123 subdomain.",
    ),
  }),
);

export const hostAliases = deferred(() =>
  describe(
    z.array(hostAlias, { error: (iss) => `expected a list like [{ip: 10.0.0.5, hostnames: [api.test.internal]}], got ${shown(iss.input)}` }).check(
      z.superRefine((list, ctx) => {
        list.forEach((a, i) => {
          const j = list.findIndex((b, k) => k < i && b.ip === a.ip);
          if (j !== -1) {
            ctx.addIssue({
              code: "custom",
              path: [i, "ip"],
              message: `${a.ip} is also hostAliases[${j}].ip; list every hostname of one address in one entry (entries are keyed by ip)`,
            });
          }
        });
      }),
    ),
    "Entries added to the pod's /etc/hosts (the pod spec's hostAliases): a test reaches a name with no DNS record.",
  ),
);

const searchDomain = deferred(() =>
  text("a search domain like svc.cluster.local").check(
    // As the API server: a trailing dot is fine.
    z.refine((s) => isSubdomain(s.endsWith(".") ? s.slice(0, -1) : s), {
      error: (iss) => `expected a search domain: a DNS-1123 subdomain like svc.cluster.local (a trailing '.' is fine), got ${shown(iss.input)}`,
    }),
  ),
);

// The kubelet writes options into resolv.conf as name[:value]: whitespace would start another entry.
const resolverWord = (what: string) =>
  text(what).check(z.refine((s) => !/[\s:]/.test(s), { error: (iss) => `expected ${what} without spaces or ':', got ${shown(iss.input)}` }));

export const dnsConfig = deferred(() =>
  describe(
    strict({
      nameservers: describe(
        z.optional(
          z.array(ipAddress("a nameserver address"), { error: (iss) => `expected a list of IP addresses like [10.0.0.10], got ${shown(iss.input)}` }).check(
            z.maxLength(DNS_NAMESERVERS_MAX, {
              error: (iss) => `at most ${DNS_NAMESERVERS_MAX} nameservers (the API server's limit), got ${shown(iss.input)}`,
            }),
          ),
        ),
        `Nameservers added to the pod's resolv.conf, at most ${DNS_NAMESERVERS_MAX}.`,
      ),
      searches: describe(
        z.optional(
          z.array(searchDomain, { error: (iss) => `expected a list of search domains like [svc.cluster.local], got ${shown(iss.input)}` }).check(
            z.maxLength(DNS_SEARCHES_MAX, { error: (iss) => `at most ${DNS_SEARCHES_MAX} search domains (the API server's limit), got ${shown(iss.input)}` }),
            z.refine((l) => l.join(" ").length <= DNS_SEARCH_LIST_MAX_CHARS, {
              error: (iss) =>
                `at most ${DNS_SEARCH_LIST_MAX_CHARS} characters of search domains joined by spaces (the API server's limit), got ${shown(iss.input)}`,
            }),
          ),
        ),
        `Search domains added to the pod's resolv.conf, at most ${DNS_SEARCHES_MAX} (${DNS_SEARCH_LIST_MAX_CHARS} characters joined).`,
      ),
      options: describe(
        z.optional(
          z.array(
            strict({
              name: describe(resolverWord("a resolver option name like ndots"), "Resolver option, e.g. ndots, timeout, attempts, edns0."),
              value: describe(
                z.optional(
                  z.string({ error: (iss) => `expected the option's value as a string (quote numbers: "2"), got ${shown(iss.input)}` }).check(
                    z.refine((s) => !/\s/.test(s), { error: (iss) => `expected a value without spaces, got ${shown(iss.input)}` }),
                  ),
                ),
                'Its value, a string: "2".',
              ),
            }),
            { error: (iss) => `expected a list like [{name: ndots, value: "2"}], got ${shown(iss.input)}` },
          ),
        ),
        "Resolver options added to the pod's resolv.conf.",
      ),
    }),
    "The pod spec's dnsConfig, merged by the kubelet with the cluster's DNS settings (dnsPolicy stays ClusterFirst).",
  ),
);
