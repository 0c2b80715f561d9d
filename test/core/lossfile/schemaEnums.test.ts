// The schema is what the editor validates and completes with; the TypeScript unions are what
// the engine switches over. Every enum in the schema must be exactly its union's values.
import assert from 'node:assert/strict';
import schema from '../../../schemas/loss.schema.json';
import { PLANE_DIRECTION_DEFINITIONS } from '../../../src/core/analysis/planes';
import { ACTIVATIONS } from '../../../src/core/model/activations';
import { LOSSES } from '../../../src/core/model/losses';
import {
  ACTIVATION_NAMES,
  GENERATOR_NAMES,
  HESSIAN_MODES,
  INIT_NAMES,
  LAYER_NORMS,
  NORMALIZATIONS,
  OPTIMIZER_NAMES,
  PATH_MODES,
  SLICE_TYPES,
  TORCH_DEVICES,
  TORCH_DTYPES,
} from '../../../src/core/vocabulary';
import { LOSS_NAMES, PLANE_DIRECTIONS } from '../../../src/protocol/result';

type Node = { [key: string]: unknown };

/** Every `enum` in the schema, by its JSON pointer. */
function enumsOf(node: unknown, pointer = '', found = new Map<string, unknown[]>()) {
  if (Array.isArray(node)) node.forEach((child, i) => enumsOf(child, `${pointer}/${i}`, found));
  else if (node && typeof node === 'object') {
    const object = node as Node;
    if (Array.isArray(object.enum)) found.set(pointer, object.enum);
    for (const [key, child] of Object.entries(object)) enumsOf(child, `${pointer}/${key}`, found);
  }
  return found;
}

const UNIONS: Record<string, readonly string[]> = {
  '/properties/loss/oneOf/0': LOSS_NAMES,
  '/definitions/normalize': NORMALIZATIONS,
  '/definitions/generatorData/properties/generator': GENERATOR_NAMES,
  '/definitions/activation': ACTIVATION_NAMES,
  '/definitions/layer/properties/norm': LAYER_NORMS,
  '/definitions/training/properties/init': INIT_NAMES,
  '/definitions/training/properties/optimizer': OPTIMIZER_NAMES,
  '/definitions/planeSlice/properties/directions': PLANE_DIRECTIONS,
  '/definitions/analysis/properties/hessian': HESSIAN_MODES,
  '/definitions/analysis/properties/slices/items/properties/type': SLICE_TYPES,
  '/definitions/analysis/properties/paths/oneOf/0': PATH_MODES,
  '/definitions/pytorchModel/properties/pytorch/properties/dtype': TORCH_DTYPES,
  '/definitions/pytorchModel/properties/pytorch/properties/device': TORCH_DEVICES,
};

describe('the schema and the TypeScript unions agree', () => {
  const enums = enumsOf(schema);

  it('every enum in the schema has its union, and no union is missing from the schema', () => {
    assert.deepEqual([...enums.keys()].sort(), Object.keys(UNIONS).sort());
  });

  for (const [pointer, values] of Object.entries(UNIONS)) {
    it(`${pointer} lists exactly ${values.join(', ')}`, () => {
      assert.deepEqual(enums.get(pointer), [...values]);
    });
  }
});

describe('the schema lists the tables of the engine (npm run build:schema writes it)', () => {
  const definitions = schema.definitions as unknown as Record<string, Node>;
  const directions = (definitions.planeSlice.properties as Record<string, Node>).directions;
  const tables: [string, Node, Record<string, { description: string }>][] = [
    ['activations', definitions.activation, ACTIVATIONS],
    ['plane directions', directions, PLANE_DIRECTION_DEFINITIONS],
    ['losses', ((schema.properties.loss as Node).oneOf as Node[])[0], LOSSES],
  ];
  for (const [name, node, table] of tables) {
    it(`${name}: every entry with its description, in table order`, () => {
      assert.deepEqual(
        { enum: node.enum, enumDescriptions: node.enumDescriptions },
        {
          enum: Object.keys(table),
          enumDescriptions: Object.values(table).map((entry) => entry.description),
        },
        'the schema is out of date: run npm run build:schema',
      );
    });
  }
});
