// web/js/lib/router.js: hash parsing, and the token each navigation gets, which keeps a view that
// finishes late from painting over the page the person moved to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter, parseHash } from '../../../web/js/lib/router.js';

// A promise with its resolve, to hold a view (or a module load) until the test lets it go.
function gate() {
  let open;
  const promise = new Promise((resolve) => { open = resolve; });
  return { promise, open };
}

// A router whose paint records what each page painted, as the page's first node.
function recordingRouter(routes, options = {}) {
  const painted = [];
  const router = createRouter({
    routes,
    paint: (nodes) => painted.push(nodes.flat(Infinity)[0]),
    notFound: (nav) => nav.show(`not found: ${nav.name}`),
    failed: (nav, error) => nav.show(`failed: ${error.message}`),
    ...options,
  });
  return { router, painted };
}

// A view module whose render paints `title`.
function view(title) {
  return async () => ({ render: async (nav) => { nav.show(title); } });
}

// A view whose render has started (it is awaiting its data) when `started` resolves, and paints
// `title` only after release().
function slowView(title) {
  const started = gate();
  const data = gate();
  return {
    load: async () => ({
      render: async (nav) => {
        started.open();
        await data.promise;
        nav.show(title);
      },
    }),
    started: started.promise,
    release: data.open,
  };
}

test('parseHash splits the name, the parts and the query', () => {
  const { name, parts, query, path } = parseHash('#/learn/piriformis/more?new=1&x=a%20b');
  assert.equal(name, 'learn');
  assert.deepEqual(parts, ['piriformis', 'more']);
  assert.equal(path, 'learn/piriformis/more');
  assert.equal(query.get('new'), '1');
  assert.equal(query.get('x'), 'a b');
  assert.equal(parseHash('').name, '');
  assert.equal(parseHash('#/').name, '');
  assert.equal(parseHash('#').name, '');
  assert.deepEqual(parseHash('#/progress').parts, []);
  assert.equal(parseHash('#/interview?new=1').name, 'interview');
  assert.equal(parseHash('#/a//b/').parts.length, 1, 'empty segments are dropped');
});

test('a view that finishes after a newer navigation paints nothing', async () => {
  const progress = slowView('Your progress');
  const { router, painted } = recordingRouter({ progress: progress.load, learn: view('Learn') });
  const first = router.navigate('#/progress');
  await progress.started;  // the progress view is waiting for its data
  const second = await router.navigate('#/learn');
  assert.deepEqual(painted, ['Learn']);
  assert.equal(second.current, true);
  // The progress data arrive now: the progress view must not replace Learn.
  progress.release();
  const late = await first;
  assert.equal(late.current, false);
  assert.deepEqual(painted, ['Learn']);
});

test('a late view is held off even when the newer navigation has not painted yet', async () => {
  // Both views are waiting; the older one gets its data first. Only the newer one may paint.
  const a = slowView('A');
  const b = slowView('B');
  const { router, painted } = recordingRouter({ a: a.load, b: b.load });
  const first = router.navigate('#/a');
  await a.started;
  const second = router.navigate('#/b');
  await b.started;
  a.release();
  await first;
  assert.deepEqual(painted, []);
  b.release();
  await second;
  assert.deepEqual(painted, ['B']);
});

test('going to the same page twice: only the newer of the two navigations paints', async () => {
  // The route name and the hash are the same for both navigations, so only a token per
  // navigation tells them apart.
  const views = [slowView('progress 0'), slowView('progress 1')];
  let loads = 0;
  const { router, painted } = recordingRouter({
    progress: () => {
      loads += 1;
      return views[loads - 1].load();
    },
  });
  const first = router.navigate('#/progress');
  await views[0].started;
  const second = router.navigate('#/progress');
  await views[1].started;
  views[1].release();
  await second;
  views[0].release();
  await first;
  assert.deepEqual(painted, ['progress 1']);
});

test('show() says whether it painted, and current follows the newest navigation', async () => {
  const navs = {};
  const capture = (name) => async () => ({ render: async (nav) => { navs[name] = nav; } });
  const { router, painted } = recordingRouter({ a: capture('a'), b: capture('b') });
  await router.navigate('#/a');
  assert.equal(navs.a.current, true);
  assert.equal(navs.a.show('A'), true);
  await router.navigate('#/b');
  assert.equal(navs.a.current, false);
  assert.equal(navs.a.show('A again'), false);
  assert.equal(navs.b.show('B'), true);
  assert.deepEqual(painted, ['A', 'B']);
});

test('a view module that loads after a newer navigation is not rendered', async () => {
  const loading = gate();
  let rendered = false;
  const { router, painted } = recordingRouter({
    model: async () => {
      await loading.promise;
      return { render: async (nav) => { rendered = true; nav.show('Model'); } };
    },
    learn: view('Learn'),
  });
  const first = router.navigate('#/model');
  await router.navigate('#/learn');
  loading.open();
  await first;
  assert.equal(rendered, false);
  assert.deepEqual(painted, ['Learn']);
});

test('prepare runs first, hands its result to the view, and null stops the navigation', async () => {
  const seen = [];
  const { router, painted } = recordingRouter({
    home: async () => ({ render: async (nav, context) => { seen.push(context); nav.show('Home'); } }),
  }, {
    prepare: async (nav) => (nav.query.get('stop') ? null : { mode: 'personal' }),
  });
  await router.navigate('#/home');
  assert.deepEqual(seen, [{ mode: 'personal' }]);
  await router.navigate('#/home?stop=1');
  assert.deepEqual(painted, ['Home']);
  assert.equal(seen.length, 1);
});

test('a slow prepare superseded by a newer navigation renders nothing', async () => {
  const status = gate();
  let calls = 0;
  const { router, painted } = recordingRouter({ a: view('A'), b: view('B') }, {
    prepare: async () => {
      calls += 1;
      if (calls === 1) await status.promise;
      return {};
    },
  });
  const first = router.navigate('#/a');
  await router.navigate('#/b');
  status.open();
  await first;
  assert.deepEqual(painted, ['B']);
});

test('an unknown name, even one Object.prototype has, is not found', async () => {
  const { router, painted } = recordingRouter({ '': view('Start') });
  await router.navigate('#/nowhere');
  await router.navigate('#/constructor');
  await router.navigate('#/');
  assert.deepEqual(painted, ['not found: nowhere', 'not found: constructor', 'Start']);
});

test('a view that throws shows the failure, unless the person has moved on', async () => {
  const started = gate();
  const data = gate();
  const { router, painted } = recordingRouter({
    broken: async () => ({ render: async () => { throw new Error('no data'); } }),
    slowBroken: async () => ({
      render: async () => {
        started.open();
        await data.promise;
        throw new Error('late');
      },
    }),
    learn: view('Learn'),
  });
  await router.navigate('#/broken');
  assert.deepEqual(painted, ['failed: no data']);
  const late = router.navigate('#/slowBroken');
  await started.promise;
  await router.navigate('#/learn');
  data.open();
  await late;
  assert.deepEqual(painted, ['failed: no data', 'Learn']);
});

test('onLeave runs when the next navigation starts, or at once when already left', async () => {
  const events = [];
  let held = null;
  const { router } = recordingRouter({
    session: async () => ({
      render: async (nav) => {
        held = nav;
        nav.onLeave(() => events.push(`left, current=${nav.current}`));
      },
    }),
    learn: view('Learn'),
  });
  await router.navigate('#/session');
  assert.deepEqual(events, []);
  await router.navigate('#/learn');
  assert.deepEqual(events, ['left, current=false']);
  await router.navigate('#/session');
  await router.navigate('#/learn');
  assert.equal(events.length, 2, 'each navigation runs only its own callbacks, once');
  held.onLeave(() => events.push('late'));
  assert.deepEqual(events.slice(2), ['late']);
});
