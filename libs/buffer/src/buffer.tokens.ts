/** Injection token of the {@link ChangeBuffer}: Redis in the apps, in-memory in unit tests of other modules. */
export const CHANGE_BUFFER = Symbol('CHANGE_BUFFER');
