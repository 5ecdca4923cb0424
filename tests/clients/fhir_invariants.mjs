// Evaluates the FHIR R4 core invariants (error severity) on a Bundle with HL7's FHIRPath engine and its R4 model.
// Usage: node fhir_invariants.mjs BUNDLE.json. Output: JSON {"checked": {key: elements}, "violations": [{key,
// resource, count}]}. An invariant whose expression gives no answer counts as violated, as a validator would.
// The expressions are the R4 (4.0.1) specification's, for the resources and data types the export contains.
import { readFileSync } from "node:fs";
import fhirpath from "fhirpath";
import r4 from "fhirpath/fhir-context/r4/index.js";

// [key, context (FHIRPath from the root it is evaluated on), expression]
const BUNDLE = [
  ["bdl-1", "Bundle", "total.empty() or (type = 'searchset') or (type = 'history')"],
  ["bdl-2", "Bundle", "entry.search.empty() or (type = 'searchset')"],
  ["bdl-3", "Bundle", "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' or %resource.type = 'history'))"],
  ["bdl-4", "Bundle", "entry.all(response.exists() = (%resource.type = 'batch-response' or %resource.type = 'transaction-response' or %resource.type = 'history'))"],
  ["bdl-7", "Bundle", "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()"],
  ["bdl-9", "Bundle", "type = 'document' implies (identifier.system.exists() and identifier.value.exists())"],
  ["bdl-10", "Bundle", "type = 'document' implies (timestamp.hasValue())"],
  ["bdl-11", "Bundle", "type = 'document' implies entry.first().resource.is(Composition)"],
  ["bdl-12", "Bundle", "type = 'message' implies entry.first().resource.is(MessageHeader)"],
  ["bdl-5", "Bundle.entry", "resource.exists() or request.exists() or response.exists()"],
  ["bdl-8", "Bundle.entry", "fullUrl.contains('/_history/').not()"],
];
// Evaluated with each entry's resource as the root, so %resource and %rootResource are that resource.
const RESOURCE = [
  ["dom-2", "DomainResource", "contained.contained.empty()"],
  ["dom-3", "DomainResource", "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()"],
  ["dom-4", "DomainResource", "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()"],
  ["dom-5", "DomainResource", "contained.meta.security.empty()"],
  ["obs-6", "Observation", "dataAbsentReason.empty() or value.empty()"],
  ["obs-7", "Observation", "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()"],
  ["obs-3", "Observation.referenceRange", "low.exists() or high.exists() or text.exists()"],
  ["pat-1", "Patient.contact", "name.exists() or telecom.exists() or address.exists() or organization.exists()"],
  ["ref-1", "descendants().ofType(Reference)", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))"],
  // Element rules, on every element of the resource.
  ["ele-1", "descendants()", "hasValue() or (children().count() > id.count())"],
  ["ext-1", "(descendants() | $this).extension", "extension.exists() != value.exists()"],
  ["per-1", "descendants().ofType(Period)", "start.hasValue().not() or end.hasValue().not() or (start <= end)"],
  ["qty-3", "descendants().ofType(Quantity)", "code.empty() or system.exists()"],
  ["txt-1", "DomainResource.text", "`div`.htmlChecks()"],
];

const QUIET = { traceFn: () => {} }; // the spec's expressions trace(); stdout carries only our JSON
const bundle = JSON.parse(readFileSync(process.argv[2], "utf8"));
const checked = {};
const violations = [];

function check(root, rules, label) {
  for (const [key, context, expression] of rules) {
    const type = context.split(".")[0];
    if (type === "DomainResource" ? !root.resourceType || root.resourceType === "Bundle" : /^[A-Z]/.test(type) && type !== root.resourceType) continue;
    const path = type === "DomainResource" ? "%resource" + context.slice(type.length) : context;
    const env = { resource: root, rootResource: root };
    const elements = fhirpath.evaluate(root, `(${path}).count()`, env, r4, QUIET)[0];
    if (!elements) continue;
    checked[key] = (checked[key] || 0) + elements;
    // iif(): an expression with no answer counts as a failure.
    const failing = fhirpath.evaluate(root, `(${path}).where(iif((${expression}), false, true))`, env, r4, QUIET);
    if (failing.length) violations.push({ key, resource: label, count: failing.length, sample: failing.slice(0, 2) });
  }
}

check(bundle, BUNDLE, "Bundle");
check(bundle, RESOURCE.filter(([key]) => ["ele-1", "ext-1", "per-1", "qty-3"].includes(key)), "Bundle");
for (const entry of bundle.entry || []) {
  if (entry.resource) check(entry.resource, RESOURCE, `${entry.resource.resourceType} ${entry.fullUrl}`);
}
process.stdout.write(JSON.stringify({ checked, violations }));
