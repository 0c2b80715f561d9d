// Expression models ("expression": "w^2"): a scalar formula of named parameters and inputs.
// mathjs parses the formula (no eval) and differentiates it symbolically to second order;
// the trees are then compiled into plain closures over a whitelist of node kinds, so
// nothing but arithmetic and the listed functions can run, and evaluation is fast. The
// objective built on them is in expressionObjective.ts.
import type { MathJsInstance, MathNode } from 'mathjs';
import { power } from '../power';

/**
 * mathjs, loaded on first use: evaluating it takes most of a second, and only files with an
 * expression model need it (the CLI and the editor start without it otherwise).
 */
let instance: MathJsInstance | undefined;
function mathjs(): MathJsInstance {
  if (!instance) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose
    const { all, create } = require('./mathjs') as typeof import('./mathjs');
    instance = create(all, { predictable: true });
  }
  return instance;
}

/** Functions a user may write, and that symbolic derivatives may produce. */
const FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  abs: Math.abs,
  sec: (x) => 1 / Math.cos(x),
  csc: (x) => 1 / Math.sin(x),
  cot: (x) => 1 / Math.tan(x),
  sech: (x) => 1 / Math.cosh(x),
  csch: (x) => 1 / Math.sinh(x),
  coth: (x) => 1 / Math.tanh(x),
};
export const USER_FUNCTIONS = [
  'sin',
  'cos',
  'tan',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'sinh',
  'cosh',
  'abs',
];
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/** f(θ, inputs row at offset) */
export type CompiledFunction = (theta: Float64Array, x: Float64Array, offset: number) => number;

export interface ExpressionProblem {
  message: string;
  /** 0-based character index in the expression, when known. */
  index?: number;
}

export interface ExpressionSymbols {
  parameters: string[];
  inputDim: number;
}

/** A textbook formula is a line long; these bounds keep parsing and derivatives fast. */
export const EXPRESSION_LIMITS = {
  /** Characters. */
  length: 1000,
  /** Levels of parentheses (the parser recurses once per level). */
  parentheses: 50,
  /** Nodes of all first derivatives together (second derivatives grow from these). */
  derivativeNodes: 20000,
};

/**
 * Symbolic derivatives without simplification: exact all the same, and their size grows
 * polynomially, where mathjs's simplify can take minutes on a formula as short as w^w^w^w^w^w.
 */
function derivative(node: MathNode, parameter: string): MathNode {
  return mathjs().derivative(node, parameter, { simplify: false });
}

/** Parses and checks a formula; returns the tree or the problems found. */
export function parseExpression(
  source: string,
  symbols: ExpressionSymbols,
): { node?: MathNode; problems: ExpressionProblem[] } {
  const tooBig = checkSize(source);
  if (tooBig) return { problems: [tooBig] };
  let node: MathNode;
  try {
    node = mathjs().parse(source);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const char = /\(char (\d+)\)/.exec(text);
    return {
      problems: [
        {
          message: `cannot parse the expression: ${text}`,
          index: char ? Number(char[1]) - 1 : undefined,
        },
      ],
    };
  }
  const problems: ExpressionProblem[] = [];
  const inputs = inputNames(symbols.inputDim);
  node.traverse((child: MathNode, _path: string, parent: MathNode | null) => {
    const described = describeUnsupported(child);
    if (described) problems.push({ message: described });
    if (isSymbol(child) && !(parent && isFunction(parent) && parent.fn === child)) {
      const name = child.name;
      if (!symbols.parameters.includes(name) && !inputs.includes(name) && !(name in CONSTANTS)) {
        const known = [...symbols.parameters, ...inputs];
        problems.push({
          message: `the expression uses '${name}', which is neither a parameter nor an input (known: ${known.join(', ')})`,
          index: source.indexOf(name),
        });
      }
    }
  });
  for (const parameter of symbols.parameters) {
    if (inputs.includes(parameter) || parameter in CONSTANTS || parameter in FUNCTIONS) {
      problems.push({
        message: `the parameter name '${parameter}' is taken by an input, constant or function`,
      });
    }
  }
  if (problems.length > 0) return { problems };
  const derivativeNodes = symbols.parameters.reduce(
    (sum, parameter) => sum + countNodes(derivative(node, parameter)),
    0,
  );
  if (derivativeNodes > EXPRESSION_LIMITS.derivativeNodes) {
    return {
      problems: [
        {
          message: `the expression's first derivatives have ${derivativeNodes.toLocaleString('en-US')} terms, more than the ${EXPRESSION_LIMITS.derivativeNodes.toLocaleString('en-US')} this tool differentiates twice: write a smaller formula`,
        },
      ],
    };
  }
  return { node, problems };
}

/** Refuses, before parsing, a formula too long or too deeply parenthesized to parse safely. */
function checkSize(source: string): ExpressionProblem | undefined {
  if (source.length > EXPRESSION_LIMITS.length)
    return {
      message: `the expression has ${source.length} characters; at most ${EXPRESSION_LIMITS.length} are allowed`,
    };
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')') depth--;
    if (depth > EXPRESSION_LIMITS.parentheses)
      return {
        message: `the expression nests parentheses more than ${EXPRESSION_LIMITS.parentheses} levels deep`,
        index: i,
      };
  }
  return undefined;
}

function countNodes(node: MathNode): number {
  let count = 0;
  node.traverse(() => count++);
  return count;
}

export function inputNames(inputDim: number): string[] {
  const names = Array.from({ length: inputDim }, (_, i) => `x${i + 1}`);
  return inputDim === 1 ? ['x', ...names] : names;
}

function describeUnsupported(node: MathNode): string | undefined {
  switch (node.type) {
    case 'ConstantNode':
      return typeof (node as unknown as { value: unknown }).value === 'number'
        ? undefined
        : 'only numbers may appear as constants';
    case 'SymbolNode':
    case 'ParenthesisNode':
      return undefined;
    case 'OperatorNode': {
      const fn = (node as unknown as { fn: string }).fn;
      return ['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus'].includes(
        fn,
      )
        ? undefined
        : `the operator '${(node as unknown as { op: string }).op}' is not supported (use + - * / ^)`;
    }
    case 'FunctionNode': {
      const fn = node as unknown as { fn: MathNode; args: MathNode[] };
      const name = isSymbol(fn.fn) ? fn.fn.name : '?';
      if (!(name in FUNCTIONS))
        return `the function '${name}' is not supported (use ${USER_FUNCTIONS.join(', ')})`;
      if (fn.args.length !== 1) return `${name}() takes exactly one argument`;
      return undefined;
    }
    default:
      return `'${node.toString()}' is not allowed in an expression (only numbers, parameters, inputs, + - * / ^ and functions)`;
  }
}

function isSymbol(node: MathNode): node is MathNode & { name: string } {
  return node.type === 'SymbolNode';
}

function isFunction(node: MathNode): node is MathNode & { fn: MathNode } {
  return node.type === 'FunctionNode';
}

/** Compiles a checked tree into a closure. */
export function compileNode(node: MathNode, symbols: ExpressionSymbols): CompiledFunction {
  const inputs = inputNames(symbols.inputDim);
  const compile = (n: MathNode): CompiledFunction => {
    switch (n.type) {
      case 'ConstantNode': {
        const value = Number((n as unknown as { value: number }).value);
        return () => value;
      }
      case 'ParenthesisNode':
        return compile((n as unknown as { content: MathNode }).content);
      case 'SymbolNode': {
        const name = (n as unknown as { name: string }).name;
        const p = symbols.parameters.indexOf(name);
        if (p >= 0) return (theta) => theta[p];
        if (name in CONSTANTS) {
          const value = CONSTANTS[name];
          return () => value;
        }
        const column = name === 'x' ? 0 : inputs.indexOf(name) - (symbols.inputDim === 1 ? 1 : 0);
        if (column < 0) throw new Error(`unknown symbol '${name}'`);
        return (_theta, x, offset) => x[offset + column];
      }
      case 'OperatorNode': {
        const { fn, args } = n as unknown as { fn: string; args: MathNode[] };
        const parts = args.map(compile);
        const [a, b] = parts;
        switch (fn) {
          case 'unaryMinus':
            return (t, x, o) => -a(t, x, o);
          case 'unaryPlus':
            return a;
          case 'add':
            return parts.length === 2
              ? (t, x, o) => a(t, x, o) + b(t, x, o)
              : (t, x, o) => parts.reduce((s, f) => s + f(t, x, o), 0);
          case 'multiply':
            return parts.length === 2
              ? (t, x, o) => a(t, x, o) * b(t, x, o)
              : (t, x, o) => parts.reduce((s, f) => s * f(t, x, o), 1);
          case 'subtract':
            return (t, x, o) => a(t, x, o) - b(t, x, o);
          case 'divide':
            return (t, x, o) => a(t, x, o) / b(t, x, o);
          case 'pow':
            return (t, x, o) => power(a(t, x, o), b(t, x, o));
        }
        throw new Error(`unsupported operator ${fn}`);
      }
      case 'FunctionNode': {
        const { fn, args } = n as unknown as { fn: { name: string }; args: MathNode[] };
        const f = FUNCTIONS[fn.name];
        if (!f || args.length !== 1) throw new Error(`unsupported function ${fn.name}`);
        const argument = compile(args[0]);
        return (t, x, o) => f(argument(t, x, o));
      }
    }
    throw new Error(`unsupported node ${n.type}`);
  };
  return compile(node);
}

/** f, ∂f/∂θᵢ and (on first use) ∂²f/∂θᵢ∂θⱼ of a checked expression, all exact. */
export class CompiledExpression {
  readonly value: CompiledFunction;
  readonly gradient: CompiledFunction[];
  private secondDerivatives: CompiledFunction[][] | null = null;
  private readonly firstTrees: MathNode[];

  constructor(
    node: MathNode,
    private readonly symbols: ExpressionSymbols,
  ) {
    this.value = compileNode(node, symbols);
    this.firstTrees = symbols.parameters.map((p) => derivative(node, p));
    this.gradient = this.firstTrees.map((tree) => compileNode(tree, symbols));
  }

  /** Lower triangle: hessian()[i][j] for j ≤ i. */
  hessian(): CompiledFunction[][] {
    if (!this.secondDerivatives) {
      this.secondDerivatives = this.symbols.parameters.map((_, i) =>
        this.symbols.parameters
          .slice(0, i + 1)
          .map((q) => compileNode(derivative(this.firstTrees[i], q), this.symbols)),
      );
    }
    return this.secondDerivatives;
  }
}
