// IP addresses as the API server takes them in hostAliases[].ip and dnsConfig.nameservers (Go's
// net.ParseIP): dotted IPv4, or IPv6 with at most one "::" and an optional dotted IPv4 tail. No
// zone ("%eth0"), no CIDR suffix, and no leading zeros in an IPv4 octet (newer API servers refuse
// them; older ones read "010" as decimal where libc reads octal). Pure: node:net is not loaded by validate.

const OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;

export function isIPv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => OCTET.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  let count = 0;
  for (const [i, g] of groups.entries()) {
    if (g.includes(".")) {
      // A dotted IPv4 tail only at the very end: it fills the last 32 bits.
      if (i !== groups.length - 1 || (halves.length === 2 && halves[1] === "") || !isIPv4(g)) return false;
      count += 2;
    } else if (HEXTET.test(g)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}
