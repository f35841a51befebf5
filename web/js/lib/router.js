// Hash routing (#/name/part?query) with a token per navigation.
//
// Every navigation gets a fresh token, kept in the Navigation object the view is given. A view
// paints only through nav.show(...), which paints while the token it was given when its
// navigation started is still the newest one. So a view that awaited something (a fetch, a timer,
// a module) and finishes after the person has moved on paints nothing. The guard must compare
// this navigation's own token with the newest: comparing two values that both follow the newest
// navigation (a global "current route" and the hash, say) always agrees, and then a slow view
// paints over the page the person moved to.
//
// The router touches no DOM: it paints through the paint function it is given (app.js passes
// paintMain from components.js), so the node tests (tests/web/lib/router.test.mjs) run it as is.

// "#/learn/piriformis?new=1" -> { name: 'learn', parts: ['piriformis'], query: URLSearchParams }.
export function parseHash(hash) {
  const rest = String(hash || '').replace(/^#\/?/, '');
  const mark = rest.indexOf('?');
  const path = mark < 0 ? rest : rest.slice(0, mark);
  const segments = path.split('/').filter(Boolean);
  return {
    path,
    name: segments[0] || '',
    parts: segments.slice(1),
    query: new URLSearchParams(mark < 0 ? '' : rest.slice(mark + 1)),
  };
}

// createRouter({ routes, paint, prepare, notFound, failed }):
// - routes: { name: () => import('./views/name.js') }; a view module exports render(nav, context).
// - paint(nodes): draws a page (called only for the current navigation).
// - prepare(nav): awaited before the view; returns the context handed to render, or null when it
//   has dealt with this navigation itself (an error shown, a redirect).
// - notFound(nav), failed(nav, error): what to show for an unknown name or a view that threw.
// navigate(hash) runs one navigation and resolves when its view has finished (or given up).
export function createRouter({ routes, paint, prepare = async () => ({}), notFound, failed }) {
  let newest = 0;  // the token of the newest navigation
  let leaving = [];  // what to stop when the newest navigation is left

  function begin(hash) {
    newest += 1;
    const token = newest;
    const left = leaving;
    leaving = [];
    for (const callback of left) callback();
    return {
      ...parseHash(hash),
      // True while no navigation has started since this one.
      get current() {
        return token === newest;
      },
      // Paints this navigation's page; returns false (painting nothing) once it is no longer current.
      show(...nodes) {
        if (token !== newest) return false;
        paint(nodes);
        return true;
      },
      // Runs callback when the person leaves this page (at once if they already have): to stop a
      // timer, say.
      onLeave(callback) {
        if (token === newest) leaving.push(callback);
        else callback();
      },
    };
  }

  async function navigate(hash) {
    const nav = begin(hash);
    try {
      const context = await prepare(nav);
      if (context === null || !nav.current) return nav;
      const load = Object.hasOwn(routes, nav.name) ? routes[nav.name] : null;
      if (!load) {
        notFound(nav);
        return nav;
      }
      const view = await load();
      if (!nav.current) return nav;
      await view.render(nav, context);
    } catch (error) {
      failed(nav, error);
    }
    return nav;
  }

  return { navigate };
}
