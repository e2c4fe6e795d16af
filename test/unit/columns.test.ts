// Columns are counted as the terminal shows them: a wide character or an emoji takes two.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import stringWidth from 'string-width';
import {fold, padColumns} from '../../source/render/columns.js';
import {flagLines, stringFlag} from '../../source/command-kit/flags.js';

test('padColumns pads to terminal columns, not code units: CJK and emoji line up with ASCII', () => {
	const cells = ['todo', '待办事项', '✅ done', 'ok🚀'].map(text => padColumns(text, 12));
	assert.deepEqual(
		cells.map(cell => stringWidth(cell)),
		[12, 12, 12, 12],
	);
	assert.equal(padColumns('already wider than that', 4), 'already wider than that');
});

test('fold breaks at spaces within the width, counted in columns, and keeps a long word whole', () => {
	const lines = fold('宽字符 的 文本 会 按 列 折行 whatever-is-longer-than-the-line stays', 10);
	assert.ok(
		lines.every(line => stringWidth(line) <= 10 || !line.includes(' ')),
		lines.join('|'),
	);
	assert.ok(lines.includes('whatever-is-longer-than-the-line'));
	assert.deepEqual(fold('', 10), []);
});

test('the help lines of a flag with a wide description stay within the width', () => {
	const lines = flagLines({name: stringFlag({value: 'NAME', description: '名前 を 指定 する ための オプション です '.repeat(4)})}, 60);
	assert.ok(
		lines.every(line => stringWidth(line) <= 60),
		lines.join('\n'),
	);
});
