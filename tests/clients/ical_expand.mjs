// Expands every VEVENT of an iCalendar file the way Mozilla's calendar engine (ical.js) does, and prints each
// occurrence's start as a UTC instant. Usage: node ical_expand.mjs FILE UNTIL_ISO. Output: JSON
// [{"uid": ..., "starts": ["2027-01-04T07:30:00Z", ...]}, ...]
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, until] = process.argv.slice(2);
const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
// A calendar client registers the feed's own VTIMEZONEs and resolves TZID parameters against them.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const limit = Date.parse(until);
const out = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const iterator = event.iterator();
  const starts = [];
  for (let next = iterator.next(); next; next = iterator.next()) {
    const instant = next.toJSDate();
    if (instant.getTime() > limit) break;
    starts.push(instant.toISOString().replace(".000Z", "Z"));
  }
  out.push({ uid: event.uid, zone: event.startDate.zone && event.startDate.zone.tzid, starts });
}
process.stdout.write(JSON.stringify(out));
