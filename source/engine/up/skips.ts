// The steps of `up` a person may switch off (--skip, or in the plan); kept apart so the command
// line can know them without loading the whole flow.
export const skippableSteps = ['install', 'scan', 'lint', 'verify', 'load-check'] as const;
export type Skippable = (typeof skippableSteps)[number];
