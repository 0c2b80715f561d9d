// Writes the parts of schemas/loss.schema.json that come from the engine's tables — the
// activations, the losses, the optimizers with their settings and the kinds of plane, each
// with its description — so that adding an entry to a table is all it takes to offer it in
// the editor. Run: npm run build:schema.
// test/core/lossfile/schemaEnums.test.ts fails when the committed schema is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { ACTIVATIONS } from '../src/core/model/activations';
import { LOSSES } from '../src/core/model/losses';
import { HYPERPARAMETERS, OPTIMIZERS, type Hyperparameter } from '../src/core/optim/optimizers';
import { OPTIMIZER_NAMES } from '../src/core/vocabulary';
import { andList } from '../src/protocol/wording';
import { PLANE_DIRECTION_DEFINITIONS } from '../src/core/analysis/planes';

type Node = Record<string, unknown>;

const path = join(__dirname, '..', 'schemas', 'loss.schema.json');
const schema = JSON.parse(readFileSync(path, 'utf8')) as { definitions: Record<string, Node> };

function listTable(node: Node, table: Record<string, { description: string }>): void {
  node.enum = Object.keys(table);
  node.enumDescriptions = Object.values(table).map((entry) => entry.description);
}

listTable(schema.definitions.activation, ACTIVATIONS);
const lossNode = (schema as unknown as { properties: Record<string, Node> }).properties.loss;
listTable((lossNode.oneOf as Node[])[0], LOSSES);
writeOptimizers(schema.definitions.training.properties as Record<string, Node>);
const planeProperties = schema.definitions.planeSlice.properties as Record<string, Node>;
listTable(planeProperties.directions, PLANE_DIRECTION_DEFINITIONS);

/**
 * training.optimizer from the table; learningRate's defaults; every optimizer setting as a
 * property of its own, after learningRate, saying which optimizers use it and their default.
 */
function writeOptimizers(properties: Record<string, Node>): void {
  listTable(properties.optimizer, OPTIMIZERS);
  const byRate = new Map<number, string[]>();
  for (const name of OPTIMIZER_NAMES) {
    const rate = OPTIMIZERS[name].learningRate;
    byRate.set(rate, [...(byRate.get(rate) ?? []), name]);
  }
  const [usual, ...others] = [...byRate].sort((a, b) => b[1].length - a[1].length);
  properties.learningRate.description = `Step size η. Default ${usual[0]}${others.length ? ` (${others.map(([rate, names]) => `${rate} for ${names.join(' and ')}`).join('; ')})` : ''}.`;
  const settings = Object.entries(HYPERPARAMETERS).map(([key, setting]) => [
    key,
    settingSchema(key, setting),
  ]);
  const rebuilt: [string, Node][] = [];
  for (const [key, node] of Object.entries(properties)) {
    if (key in HYPERPARAMETERS) continue;
    rebuilt.push([key, node]);
    if (key === 'learningRate') rebuilt.push(...(settings as [string, Node][]));
  }
  for (const key of Object.keys(properties)) delete properties[key];
  Object.assign(properties, Object.fromEntries(rebuilt));
}

function settingSchema(key: string, setting: Hyperparameter): Node {
  const users = OPTIMIZER_NAMES.filter((name) => key in OPTIMIZERS[name].defaults);
  const defaults = users.map(
    (name) => OPTIMIZERS[name].defaults[key as keyof typeof HYPERPARAMETERS],
  );
  const same = defaults.every((value) => value === defaults[0]);
  const usedBy = users.map((name, k) => `${name}${same ? '' : ` (default ${defaults[k]})`}`);
  const { description, ...bounds } = setting;
  return {
    description: `${description} For optimizer${usedBy.length === 1 ? '' : 's'} ${andList(usedBy)}.`,
    type: 'number',
    ...bounds,
    ...(same ? { default: defaults[0] } : {}),
  };
}

// The file stays ASCII, as it is committed: other characters as \u escapes.
const ascii = (text: string) =>
  text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

void format(JSON.stringify(schema, null, 2), { parser: 'json', printWidth: 100 }).then((text) => {
  writeFileSync(path, ascii(text));
  console.log(`wrote ${path}`);
});
