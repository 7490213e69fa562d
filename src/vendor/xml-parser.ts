// fast-xml-parser, for reading the tests' own JUnit files (see kube.ts for why vendor/ exists).
export { XMLParser, XMLValidator } from "fast-xml-parser";
