// The Trivy stand-in's secret scanner: the image's own files (not the system's), searched with a few
// of Trivy's built-in rules, the matches added to the report as Trivy writes them ("Class": "secret",
// "Secrets": [...], the matched text masked). Usage: node trivy-secrets.mjs IMAGE REPORT
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

// From Trivy's builtin rules (pkg/fanal/secret/builtin-rules.go): id, category, severity, title, pattern.
const rules = [
	['aws-access-key-id', 'AWS', 'CRITICAL', 'AWS Access Key ID', /(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}/],
	['github-pat', 'GitHub', 'CRITICAL', 'GitHub Personal Access Token', /ghp_[0-9a-zA-Z]{36}/],
	['stripe-secret-token', 'Stripe', 'CRITICAL', 'Stripe Secret Key', /sk_(test|live)_[0-9a-zA-Z]{24}/],
	['private-key', 'AsymmetricPrivateKey', 'HIGH', 'Asymmetric Private Key', /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----/],
];
// Trivy's builtin allow rules skip the system's files and installed packages.
const skipped = /^(usr|lib|lib64|bin|sbin|etc|proc|sys|dev)\/|(^|\/)(node_modules|dist-packages|site-packages)\//;

const [image, report] = process.argv.slice(2);
const root = mkdtempSync(path.join(os.tmpdir(), 'trivy-fs-'));
const container = execFileSync('docker', ['create', image, 'true'], {encoding: 'utf8'}).trim();
try {
	const tar = execFileSync('docker', ['export', container], {maxBuffer: 1024 * 1024 * 1024});
	execFileSync('/bin/tar', ['-x', '-C', root, '--no-same-owner', '--exclude=dev/*'], {input: tar, maxBuffer: 1024 * 1024 * 1024});
} finally {
	execFileSync('docker', ['rm', container], {stdio: 'ignore'});
}

const results = [];
const walk = relative => {
	for (const name of readdirSync(path.join(root, relative))) {
		const file = relative ? `${relative}/${name}` : name;
		const info = statSync(path.join(root, file), {throwIfNoEntry: false});
		if (!info || skipped.test(`${file}/`) || skipped.test(file)) {
			continue;
		}

		if (info.isDirectory()) {
			walk(file);
		} else if (info.isFile() && info.size < 1024 * 1024) {
			const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
			const secrets = [];
			for (const [index, line] of lines.entries()) {
				for (const [id, category, severity, title, pattern] of rules) {
					const match = pattern.exec(line);
					if (match) {
						const masked = line.replace(match[0], '*'.repeat(match[0].length));
						secrets.push({RuleID: id, Category: category, Severity: severity, Title: title, StartLine: index + 1, EndLine: index + 1, Match: masked});
					}
				}
			}

			if (secrets.length > 0) {
				results.push({Target: `/${file}`, Class: 'secret', Secrets: secrets});
			}
		}
	}
};

walk('');
rmSync(root, {recursive: true, force: true});
const json = JSON.parse(readFileSync(report, 'utf8'));
json.Results = [...(json.Results ?? []), ...results];
writeFileSync(report, `${JSON.stringify(json, null, 2)}\n`);
