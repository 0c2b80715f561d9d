// mathjs for expression models, imported as a module so bundles take its ES build; required
// lazily by expression.ts, so a bundle evaluates it only when a formula is parsed.
export { all, create } from 'mathjs';
