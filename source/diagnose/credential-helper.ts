// Pure: the docker CLI's credential helper, named in ~/.docker/config.json, that cannot be run. Every
// pull the CLI makes (kind create cluster's node image, docker pull, a push) asks it first, so a
// public image fails too. Docker Desktop writes "credsStore": "desktop.exe" into the WSL side's config;
// without its WSL integration, docker-credential-desktop.exe is not on PATH (docker/for-win#12273).

export type MissingHelper = {readonly program: string; readonly helper: string};

const said =
	/error (?:getting|listing|storing) credentials - err: (?:exec: "([^"]+)": executable file not found in (?:\$PATH|%PATH%)|fork\/exec (\S+): exec format error)/;

/** The helper the text says could not be run; undefined for any other failure. */
export function missingCredentialHelper(text: string): MissingHelper | undefined {
	const found = said.exec(text);
	const program = (found?.[1] ?? found?.[2])?.split('/').at(-1);
	return program ? {program, helper: program.replace(/^docker-credential-/, '')} : undefined;
}

/** The line of the Docker config to change (its credsStore, unless the entry is known), and the other way out. */
export function credentialHelperFix({program, helper}: MissingHelper, config = '~/.docker/config.json', entry?: string): string {
	const desktop = /desktop/.test(helper);
	return `${config} has ${entry ?? `"credsStore": "${helper}" (or a credHelpers entry naming it)`}: remove that ${entry?.startsWith('"credHelpers"') ? 'entry' : 'line'}, and the docker CLI keeps logins in the file itself (a public image needs none). Or put ${program} on PATH${desktop ? ": in WSL, turn on Docker Desktop's WSL integration for this distro (Settings > Resources > WSL integration), which brings it" : ' (install the docker-credential-helpers package)'}.`;
}
