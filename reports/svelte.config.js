// Evidence merges this file into the SvelteKit configuration of its build (`npm run build`).
//
// The Overview links the leadership summary as `../summary.html`: in a published release the
// summary sits one folder above `reports/`, next to it. An Evidence build has no such page,
// and SvelteKit's prerender stops on the 404 of any link it follows. This lets that one link
// through with a warning (and what Evidence's not-found page for it fetches); every other
// broken link still fails the build.
const SUMMARY = '/summary.html';

export default {
	kit: {
		prerender: {
			handleHttpError: ({ path, referrer, message }) => {
				if (path.endsWith(SUMMARY) || (referrer ?? '').endsWith(SUMMARY)) {
					console.warn(
						`${path} (from ${referrer}): the leadership summary sits next to reports/ in a release, ` +
							'outside the Evidence site; not prerendered.'
					);
					return;
				}
				throw new Error(message);
			}
		}
	}
};
