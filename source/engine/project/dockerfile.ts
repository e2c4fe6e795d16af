// The one Dockerfile reader (dockerfile-ast, the parser the VS Code Docker extension uses): its
// instructions with continuation lines joined as Docker joins them, the stages, ARGs and ENVs. Project
// discovery, the in-place build's base images and the line-ending check all read a Dockerfile here.
import {DockerfileParser, type Flag} from 'dockerfile-ast';

export type DockerInstruction = {
	/** The line it starts on, from 1. */
	readonly line: number;
	/** The keyword in capitals: FROM, RUN, COPY… */
	readonly keyword: string;
	/** What follows the keyword, continuation lines joined. */
	readonly text: string;
	/** Its arguments as Docker splits them (quotes kept), without its flags. */
	readonly words: readonly string[];
	/** Its flags as written, each with its value: --from=build, --chown=1001:1001. */
	readonly flags: readonly string[];
};

export type DockerSetting = {readonly name: string; readonly value: string | undefined; readonly line: number};

export type Dockerfile = {
	readonly instructions: readonly DockerInstruction[];
	/** Each FROM: the image, and the stage it names (AS NAME). */
	readonly froms: ReadonlyArray<{readonly image: string; readonly stage: string | undefined; readonly line: number}>;
	readonly args: readonly DockerSetting[];
	readonly env: readonly DockerSetting[];
};

/** The flags of an instruction that takes them (COPY, ADD, FROM, RUN, HEALTHCHECK), as written. */
function flagsOf(instruction: unknown): string[] {
	const flagged = instruction as {getFlags?: () => Flag[]};
	return (flagged.getFlags?.() ?? []).map(flag => {
		const value = flag.getValue();
		return value === null ? `--${flag.getName()}` : `--${flag.getName()}=${value}`;
	});
}

export function readDockerfile(text: string): Dockerfile {
	const parsed = DockerfileParser.parse(text);
	const line = (range: {readonly start: {readonly line: number}}) => range.start.line + 1;
	return {
		instructions: parsed.getInstructions().map(instruction => ({
			line: line(instruction.getRange()),
			keyword: instruction.getKeyword().toUpperCase(),
			// The parser keeps a continuation's line break as spaces: one space between words, as the shell sees them.
			text: instruction.getArgumentsContent()?.replaceAll(/\s+/g, ' ').trim() ?? '',
			words: instruction.getArguments().map(argument => argument.getValue()),
			flags: flagsOf(instruction),
		})),
		froms: parsed.getFROMs().map(from => ({image: from.getImage() ?? '', stage: from.getBuildStage() ?? undefined, line: line(from.getRange())})),
		args: parsed.getARGs().flatMap(arg => {
			const property = arg.getProperty();
			return property ? [{name: property.getName(), value: property.getValue() ?? undefined, line: line(arg.getRange())}] : [];
		}),
		env: parsed
			.getENVs()
			.flatMap(env => env.getProperties().map(property => ({name: property.getName(), value: property.getValue() ?? undefined, line: line(env.getRange())}))),
	};
}

/** The instructions of the last stage (from its FROM on): what the image that runs is made of. */
export function lastStage(dockerfile: Dockerfile): readonly DockerInstruction[] {
	const from = dockerfile.froms.at(-1)?.line ?? 0;
	return dockerfile.instructions.filter(instruction => instruction.line >= from);
}
