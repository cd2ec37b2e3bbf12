// Validates Kubernetes manifests against the API's schemas (the kubernetes-models packages, which
// carry the JSON schemas of Kubernetes and KEDA; no cluster needed). ESM, as those packages are.
//   node packages/devtools/src/infra/validate-manifests.mjs infra/k8s/*.yaml
// Prints one JSON line { objects: [{ file, apiVersion, kind, name }], errors: [..] }; exits 1 on any error.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as policy from 'kubernetes-models/policy/v1';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';

const MODELS = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'policy/v1': policy,
  'keda.sh/v1alpha1': keda,
};

const objects = [];
const errors = [];
for (const file of process.argv.slice(2)) {
  if (path.basename(file) === 'kustomization.yaml') continue; // kustomize's own file, not an API object
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      errors.push(`${file}: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    const where = `${file}: ${obj.kind ?? '?'} ${obj.metadata?.name ?? '?'}`;
    const Model = MODELS[obj.apiVersion]?.[obj.kind];
    if (!Model) {
      errors.push(`${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    try {
      new Model(obj).validate();
      objects.push({ file, apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata?.name });
    } catch (err) {
      errors.push(`${where}: ${err.message}`);
    }
  }
}
process.stdout.write(`${JSON.stringify({ objects, errors })}\n`);
process.exit(errors.length ? 1 : 0);
