// Just enough of Kubernetes' protobuf encoding to read what client-go sends as protobuf to the
// simulator: Helm stores its releases in Secrets and writes them that way.
type Field = {readonly number: number; readonly wire: number; readonly value: bigint | Buffer};

function readVarint(buffer: Buffer, offset: number): [bigint, number] {
	let result = 0n;
	let shift = 0n;
	let position = offset;
	for (;;) {
		const byte = buffer[position++];
		if (byte === undefined) {
			throw new Error('truncated varint');
		}

		result |= BigInt(byte & 0x7f) << shift;
		if ((byte & 0x80) === 0) {
			return [result, position];
		}

		shift += 7n;
	}
}

function fields(buffer: Buffer): Field[] {
	const result: Field[] = [];
	let offset = 0;
	while (offset < buffer.length) {
		const [key, afterKey] = readVarint(buffer, offset);
		const number = Number(key >> 3n);
		const wire = Number(key & 7n);
		if (wire === 0) {
			const [value, next] = readVarint(buffer, afterKey);
			result.push({number, wire, value});
			offset = next;
		} else if (wire === 2) {
			const [length, start] = readVarint(buffer, afterKey);
			const end = start + Number(length);
			result.push({number, wire, value: buffer.subarray(start, end)});
			offset = end;
		} else if (wire === 1 || wire === 5) {
			const size = wire === 1 ? 8 : 4;
			result.push({number, wire, value: buffer.subarray(afterKey, afterKey + size)});
			offset = afterKey + size;
		} else {
			throw new Error(`unsupported wire type ${wire}`);
		}
	}

	return result;
}

const text = (field: Field | undefined) => (field && Buffer.isBuffer(field.value) ? field.value.toString('utf8') : undefined);

function map(entries: Field[], number: number, asBase64: boolean): Record<string, string> | undefined {
	const pairs = entries
		.filter(field => field.number === number && Buffer.isBuffer(field.value))
		.map(field => {
			const entry = fields(field.value as Buffer);
			const value = entry.find(part => part.number === 2)?.value;
			return [
				text(entry.find(part => part.number === 1)) ?? '',
				Buffer.isBuffer(value) ? (asBase64 ? value.toString('base64') : value.toString('utf8')) : '',
			] as const;
		});
	return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
}

function objectMeta(buffer: Buffer): Record<string, unknown> {
	const parts = fields(buffer);
	const metadata: Record<string, unknown> = {};
	const strings: Array<[number, string]> = [
		[1, 'name'],
		[2, 'generateName'],
		[3, 'namespace'],
		[5, 'uid'],
		[6, 'resourceVersion'],
	];
	for (const [number, key] of strings) {
		const value = text(parts.find(field => field.number === number));
		if (value) {
			metadata[key] = value;
		}
	}

	const labels = map(parts, 11, false);
	const annotations = map(parts, 12, false);
	if (labels) {
		metadata['labels'] = labels;
	}

	if (annotations) {
		metadata['annotations'] = annotations;
	}

	return metadata;
}

/** What `kubectl auth can-i` asks: the spec's resourceAttributes (authorization/v1 generated.proto: namespace 1 … name 7). */
function accessReviewSpec(raw: Buffer): Record<string, unknown> {
	const spec = fields((fields(raw).find(field => field.number === 2)?.value as Buffer | undefined) ?? Buffer.alloc(0));
	const attributes = spec.find(field => field.number === 1)?.value as Buffer | undefined;
	if (!attributes) {
		return {};
	}

	const parts = fields(attributes);
	const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
	return {
		resourceAttributes: Object.fromEntries(
			names.flatMap((key, index) => {
				const value = text(parts.find(field => field.number === index + 1));
				return value === undefined ? [] : [[key, value]];
			}),
		),
	};
}

/** Decodes a "k8s\0"-prefixed runtime.Unknown holding a v1 Secret (or a SelfSubjectAccessReview) into its JSON form. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
	if (body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') {
		throw new Error('not a Kubernetes protobuf message');
	}

	const envelope = fields(body.subarray(4));
	const typeMeta = fields((envelope.find(field => field.number === 1)?.value as Buffer | undefined) ?? Buffer.alloc(0));
	const apiVersion = text(typeMeta.find(field => field.number === 1));
	const kind = text(typeMeta.find(field => field.number === 2));
	const raw = envelope.find(field => field.number === 2)?.value as Buffer | undefined;
	if (kind === 'SelfSubjectAccessReview' && raw) {
		return {apiVersion, kind, spec: accessReviewSpec(raw)};
	}

	// SelfSubjectRulesReview {metadata = 1, spec = 2}; its spec {namespace = 1}.
	if (kind === 'SelfSubjectRulesReview' && raw) {
		const spec = fields((fields(raw).find(field => field.number === 2)?.value as Buffer | undefined) ?? Buffer.alloc(0));
		const namespace = text(spec.find(field => field.number === 1));
		return {apiVersion, kind, spec: namespace === undefined ? {} : {namespace}};
	}

	if (kind !== 'Secret' || !raw) {
		throw new Error(`the simulator reads protobuf only for Secrets, not ${kind ?? 'this object'}`);
	}

	const secret = fields(raw);
	const metadata = secret.find(field => field.number === 1)?.value as Buffer | undefined;
	const result: Record<string, unknown> = {apiVersion, kind, metadata: metadata ? objectMeta(metadata) : {}};
	const data = map(secret, 2, true);
	const stringData = map(secret, 4, false);
	if (data) {
		result['data'] = data;
	}

	if (stringData) {
		result['stringData'] = stringData;
	}

	const type = text(secret.find(field => field.number === 3));
	if (type) {
		result['type'] = type;
	}

	return result;
}
