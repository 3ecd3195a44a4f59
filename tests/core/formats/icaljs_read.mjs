// Reads a vCard file with ical.js (Thunderbird's parser) and prints what it sees as JSON.
// Usage: node icaljs_read.mjs PATH/TO/ical.js FILE.vcf
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.argv[2]).href)).default;
const parsed = ICAL.parse(readFileSync(process.argv[3], "utf-8"));
const cards = typeof parsed[0] === "string" ? [parsed] : parsed;
const values = (card, name) => card.getAllProperties(name).map((p) => p.getValues());
const out = cards.map((jcard) => {
  const card = new ICAL.Component(jcard);
  return {
    fn: values(card, "fn").flat(),
    n: values(card, "n").flat(),
    email: values(card, "email").flat(),
    tel: values(card, "tel").flat(),
    note: values(card, "note").flat(),
    org: values(card, "org").flat(),
    title: values(card, "title").flat(),
    adr: values(card, "adr").flat(),
    categories: values(card, "categories").flat(),
    nickname: values(card, "nickname").flat(),
  };
});
process.stdout.write(JSON.stringify(out));
