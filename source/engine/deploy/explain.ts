// Helm's failures explained: what a person needs first, and the fix.
import {certificateTime, certificateWords, clockFix} from '../../diagnose/certificate-time.js';

/** Helm's own words, explained: the lines a person needs first. */
export function explainHelmFailure(output: string, release: string, namespace: string): {message: string; fix: string | undefined} {
	if (/another operation \(install\/upgrade\/rollback\) is in progress/.test(output)) {
		return {
			message: `Helm says another operation is in progress on the release "${release}": an earlier helm run was interrupted and left it pending.`,
			fix: `todo-deploy deploy --recover rolls it back to the last good revision (or removes a first install that never finished), then deploys.`,
		};
	}

	if (/cannot re-use a name that is still in use/.test(output)) {
		return {
			message: `A release named "${release}" exists in another state in ${namespace}.`,
			fix: `helm history ${release} -n ${namespace} shows it; helm uninstall ${release} -n ${namespace} removes it.`,
		};
	}

	const owned =
		/rendered manifests contain a resource that already exists\. Unable to continue with (?:install|update): (\w+) "([^"]+)" in namespace "([^"]+)" exists and cannot be imported into the current release: invalid ownership metadata;(.*)/.exec(
			output,
		);
	if (owned) {
		const [, kind = '', name = '', where = '', why = ''] = owned;
		const owner = /"meta\.helm\.sh\/release-name" must equal "[^"]+": current value is "([^"]+)"/.exec(why)?.[1];
		const object = `${kind.toLowerCase()} ${name} -n ${where}`;
		return {
			message: `The ${kind} "${name}" in ${where} already exists and ${owner ? `belongs to the Helm release "${owner}"` : 'was not made by Helm (kubectl apply, or another tool made it)'}, so the release "${release}" cannot take it.`,
			fix: owner
				? `If the release "${owner}" is old: helm uninstall ${owner} -n ${where}. Or give this release another name: --release NAME.`
				: `If it is a leftover: kubectl delete ${object}, then deploy again. To let the release take it over: kubectl label ${object} app.kubernetes.io/managed-by=Helm && kubectl annotate ${object} meta.helm.sh/release-name=${release} meta.helm.sh/release-namespace=${namespace}`,
		};
	}

	const immutable = /cannot patch "([^"]+)" with kind (\w+):.*?spec\.selector:.*?field is immutable/.exec(output);
	if (immutable) {
		const [, name = '', kind = ''] = immutable;
		return {
			message: `The chart changes the ${kind} "${name}"'s selector (its pod labels), which Kubernetes never changes in place: the upgrade stops there.`,
			fix: `Delete the ${kind} so the next deploy makes it anew (its pods restart; data in volumes stays): kubectl delete ${kind.toLowerCase()} ${name} -n ${namespace}${kind === 'StatefulSet' ? ' --cascade=orphan' : ''}, then todo-deploy deploy.`,
		};
	}

	if (/values don't meet the specifications of the schema|values\.schema\.json/.test(output)) {
		return {
			message: `The values do not fit the chart's schema: ${output.trim().split('\n').filter(Boolean).slice(-3).join(' ')}`,
			fix: 'Fix the value named above (todo-deploy lint shows every value the chart takes).',
		};
	}

	const time = certificateTime(output);
	if (time) {
		return {
			message: `Helm could not reach the cluster: ${certificateWords(time, "the API server's")}.`,
			fix:
				time.kind === 'clock-behind'
					? `${clockFix.charAt(0).toUpperCase()}${clockFix.slice(1)}, then run again.`
					: `minikube: minikube delete makes a cluster with new certificates (or renew them inside the node: minikube ssh -- sudo kubeadm certs renew all --config /var/tmp/minikube/kubeadm.yaml); if this machine's clock is wrong instead, ${clockFix}.`,
		};
	}

	if (/Kubernetes cluster unreachable|connection refused|no such host|i\/o timeout/.test(output)) {
		return {
			message: `Helm could not reach the cluster: ${output.trim().split('\n').at(-1) ?? ''}`,
			fix: 'todo-deploy doctor checks the kube context; is the cluster running?',
		};
	}

	return {message: output.trim().split('\n').filter(Boolean).slice(-3).join(' ') || 'helm failed', fix: undefined};
}
