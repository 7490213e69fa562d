// xmlbuilder2, for -o junit (see kube.ts for why vendor/ exists).
export { create } from "xmlbuilder2";
