// Writes the parts of schemas/loss.schema.json that come from the engine's tables — the
// activation names and the kinds of plane, each with its description — so that adding an
// entry to a table is all it takes to offer it in the editor. Run: npm run build:schema.
// test/core/lossfile/schema-enums.test.ts fails when the committed schema is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';
import { ACTIVATIONS } from '../src/core/model/activations';
import { PLANE_DIRECTION_DEFINITIONS } from '../src/core/analysis/planes';

type Node = Record<string, unknown>;

const path = join(__dirname, '..', 'schemas', 'loss.schema.json');
const schema = JSON.parse(readFileSync(path, 'utf8')) as { definitions: Record<string, Node> };

function listTable(node: Node, table: Record<string, { description: string }>): void {
  node.enum = Object.keys(table);
  node.enumDescriptions = Object.values(table).map((entry) => entry.description);
}

listTable(schema.definitions.activation, ACTIVATIONS);
const planeProperties = schema.definitions.planeSlice.properties as Record<string, Node>;
listTable(planeProperties.directions, PLANE_DIRECTION_DEFINITIONS);

void format(JSON.stringify(schema, null, 2), { parser: 'json', printWidth: 100 }).then((text) => {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
});
