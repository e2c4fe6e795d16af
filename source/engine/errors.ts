// Errors in words, for the engine and the commands: the one function lives with the adapters, whose
// errors (Node, undici, child processes) it reads.
export {messageOf} from '../adapters/errors.js';
