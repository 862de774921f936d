// Compares a response of the binary with graphql-js's: data exactly (key order included), errors
// as a multiset matched by locations and path, messages counted for the match rate.

const errorPlace = (e) => JSON.stringify([e.locations ?? null, e.path ?? null]);

export function compareResponses(expected, actual, mode) {
    const problems = [];
    const messageDiffs = [];
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
        return { problems: ['response is not a JSON object'], messageDiffs, total: countErrors(expected), matched: 0 };
    }
    if (mode === 'exec') {
        if ('data' in expected !== 'data' in actual) {
            problems.push(`"data" is ${'data' in expected ? 'present' : 'absent'} in graphql-js's response but not in alatar's`);
        } else if (JSON.stringify(expected.data) !== JSON.stringify(actual.data)) {
            problems.push('data differs');
        }
        if ('errors' in expected !== 'errors' in actual) {
            problems.push(`"errors" is ${'errors' in expected ? 'present' : 'absent'} in graphql-js's response but not in alatar's`);
        }
    } else if (!Array.isArray(actual.errors)) {
        problems.push('validate output has no "errors" list');
    }
    const want = expected.errors ?? [];
    const got = Array.isArray(actual.errors) ? actual.errors : [];
    if (want.length !== got.length) problems.push(`${want.length} error(s) expected, ${got.length} reported`);

    const unmatchedGot = got.map((e, i) => i);
    const pairs = new Array(want.length).fill(-1);
    // First exact matches, then same place with another message.
    for (const exact of [true, false]) {
        want.forEach((w, i) => {
            if (pairs[i] !== -1) return;
            const k = unmatchedGot.findIndex(
                (j) => errorPlace(got[j]) === errorPlace(w) && (!exact || got[j].message === w.message),
            );
            if (k !== -1) {
                pairs[i] = unmatchedGot[k];
                unmatchedGot.splice(k, 1);
            }
        });
    }
    let matched = 0;
    want.forEach((w, i) => {
        if (pairs[i] === -1) {
            problems.push(`missing error at ${errorPlace(w)}: ${w.message}`);
            return;
        }
        const g = got[pairs[i]];
        if (g.message === w.message) matched += 1;
        else messageDiffs.push({ expected: w.message, actual: g.message });
    });
    for (const j of unmatchedGot) {
        if (want.length === got.length) problems.push(`unexpected error at ${errorPlace(got[j])}: ${got[j].message}`);
        else problems.push(`extra error at ${errorPlace(got[j])}: ${got[j].message}`);
    }
    return { problems, messageDiffs, total: want.length, matched };
}

function countErrors(response) {
    return (response.errors ?? []).length;
}

// A small line diff of two pretty-printed JSON values, enough to spot the difference.
export function jsonDiff(expected, actual) {
    const a = JSON.stringify(expected, null, 2).split('\n');
    const b = JSON.stringify(actual, null, 2).split('\n');
    const n = a.length;
    const m = b.length;
    if (n * m > 4_000_000) return ['(too large to diff)'];
    const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
            lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
    }
    const out = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] === b[j]) {
            out.push(`  ${a[i]}`);
            i++;
            j++;
        } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out.push(`+ ${b[j++]}`);
        } else {
            out.push(`- ${a[i++]}`);
        }
    }
    return out;
}
