// Pure: a container whose command cannot be started at all, read from its last log lines or its
// termination message: a script with Windows line endings, or a program built for another CPU.
// A table of rules, each fired by a captured real log.
import {firstRule, pattern, type Rule} from './rules.js';

export type ExecCause = {
	readonly kind: 'crlf' | 'not-found' | 'format';
	readonly line: string;
	readonly title: string;
	readonly explanation: string;
	readonly fix: string;
};

const convert = (file: string) =>
	`In the build folder: file ${file} says "with CRLF line terminators" if so; convert it with sed -i 's/\\r$//' ${file}, add "*.sh text eol=lf" to .gitattributes so Git does not bring CRLF back, and rebuild (todo-deploy up checks scripts for CRLF before it builds).`;

export const execRules: ReadonlyArray<Rule<string, RegExpExecArray, Omit<ExecCause, 'line'>>> = [
	{
		// bash reading a CRLF script: each line's command ends in \r.
		id: 'crlf',
		fixture: 'app-logs/bash-carriage-return-command-not-found.txt',
		matches: pattern(/^(\S+?): line \d+: \$'\\r': command not found/),
		says: ([, file = 'the script']) => ({
			kind: 'crlf',
			title: `${file} has Windows line endings`,
			explanation: `bash reads ${file} line by line and finds a carriage return (\\r) at the end of each: the file was saved or checked out on Windows with CRLF line endings.`,
			fix: convert(file.replace(/^\//, '')),
		}),
	},
	{
		id: 'not-found',
		fixture: 'app-logs/exec-entrypoint-no-such-file-crlf.txt',
		matches: pattern(/exec (\S+): no such file or directory|exec user process caused:? "?no such file or directory/),
		says: ([, found]) => {
			const file = found ?? "the container's command";
			return {
				kind: 'not-found',
				title: `${file} cannot be started ("no such file or directory")`,
				explanation: `The system could not start ${file}. Either it is a script whose first line ends in a Windows line ending, so the system looks for an interpreter "/bin/sh\\r" that does not exist (the most common cause when the file is in the image), or the file is not where the command says, or it is a program that needs a library the image lacks (built for glibc, run on Alpine).`,
				fix: `${convert(file.replace(/^\//, '').split('/').pop() ?? file)} If the file is not in the image (docker run --rm --entrypoint ls IMAGE -l ${file} shows), fix the COPY or the path in CMD/ENTRYPOINT.`,
			};
		},
	},
	{
		id: 'format',
		fixture: 'app-logs/exec-format-error-arm64.txt',
		matches: pattern(/exec (\S+): exec format error|exec user process caused:? "?exec format error/),
		says: ([, found]) => {
			const file = found ?? "the container's command";
			return {
				kind: 'format',
				title: `${file} is not a program this node can run ("exec format error")`,
				explanation: `${file} is built for another CPU architecture than the node's (an arm64 image on an amd64 node or the reverse, as when built on an Apple silicon Mac or pulled as a single-platform image), or it is a script without a #! first line.`,
				fix: "Build the image on this machine for the node's platform (todo-deploy builds for the machine's own, which a local cluster shares; elsewhere: docker build --platform linux/amd64). kubectl get nodes -o jsonpath='{.items[*].status.nodeInfo.architecture}' shows the node's. For a script, start it with #!/bin/sh.",
			};
		},
	},
];

/** The exec cause of the last line that has one. */
export function execCause(lines: readonly string[]): ExecCause | undefined {
	for (const line of [...lines].reverse()) {
		const matched = firstRule(execRules, line);
		if (matched) {
			return {...matched.said, line};
		}
	}

	return undefined;
}
