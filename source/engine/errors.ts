// Errors in words: what a thrown value says, for a message to the person.

/** The message of an Error, or the value as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
