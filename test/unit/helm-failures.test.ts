// What helm says when it cannot install or upgrade, as users meet it (captured from public threads),
// turned into the object, who owns it, and the fix.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {explainHelmFailure} from '../../source/engine/deploy/explain.js';
import {capturedFixture} from '../helpers/paths.js';

const captured = (name: string) => readFileSync(capturedFixture('helm', name), 'utf8');

test('an object that exists and was not made by Helm: named, with how to delete it or let the release adopt it', () => {
	const explained = explainHelmFailure(captured('helm-install-invalid-ownership-not-helm.txt'), 'web', 'default');
	assert.equal(
		explained.message,
		'The Service "web" in default already exists and was not made by Helm (kubectl apply, or another tool made it), so the release "web" cannot take it.',
	);
	assert.match(explained.fix ?? '', /kubectl delete service web -n default/);
	assert.match(explained.fix ?? '', /kubectl annotate service web -n default meta\.helm\.sh\/release-name=web meta\.helm\.sh\/release-namespace=default/);
});

test('an object owned by another release: the owner is named', () => {
	const explained = explainHelmFailure(captured('helm-install-invalid-ownership-other-release.txt'), 'jxgo', 'jx-git-operator');
	assert.match(explained.message, /The Secret "jx-boot" in jx-git-operator already exists and belongs to the Helm release "jx-git-operator"/);
	assert.match(explained.fix ?? '', /helm uninstall jx-git-operator -n jx-git-operator\. Or give this release another name: --release NAME\./);
});

test('a selector the chart changed: the Deployment to delete, and why', () => {
	const explained = explainHelmFailure(captured('helm-upgrade-selector-immutable.txt'), 'immich', 'media');
	assert.match(explained.message, /The chart changes the Deployment "immich-machine-learning"'s selector/);
	assert.match(explained.fix ?? '', /kubectl delete deployment immich-machine-learning -n media, then todo-deploy deploy/);
});
