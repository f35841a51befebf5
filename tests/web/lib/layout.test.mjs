// The layout of web/js (docs/web.md): app.js wires the router; lib/ is the shared library and
// imports only within lib/; views/*.js import only from ../lib/ (never from each other or from
// top-level files). Read from the import lines of the files themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../../../web');
const JS = join(WEB, 'js');

function jsFiles(dir) {
  return readdirSync(dir).filter((name) => name.endsWith('.js')).sort().map((name) => join(dir, name));
}

// Every module specifier a file imports: `import ... from '...'` (over several lines too),
// `import '...'`, `export ... from '...'` and `import('...')`, outside comments (// lines and
// /* */ blocks that begin a line). An import( whose argument is not a plain string cannot be
// checked, so it is an error.
function importsOf(text) {
  const source = text.replace(/^\s*\/\/.*$/gm, '').replace(/^\s*\/\*[\s\S]*?\*\//gm, '');
  const found = [];
  const statics = /^\s*(?:import|export)\s[^;]*?\sfrom\s*(['"])([^'"]+)\1/gm;
  const bare = /^\s*import\s*(['"])([^'"]+)\1/gm;
  const dynamic = /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g;
  for (const pattern of [statics, bare, dynamic]) {
    for (const match of source.matchAll(pattern)) found.push(match[2]);
  }
  const dynamicCalls = source.match(/\bimport\s*\(/g) || [];
  const literalCalls = source.match(dynamic) || [];
  if (dynamicCalls.length !== literalCalls.length) throw new Error('an import() with a computed argument');
  return found;
}

const views = jsFiles(join(JS, 'views'));
const lib = jsFiles(join(JS, 'lib'));

test('the import reader finds each form of import', () => {
  const source = [
    "import { a } from '../lib/a.js';",
    'import {',
    '  b,',
    '  c,',
    "} from \"../lib/b.js\";",
    "import '../lib/side-effect.js';",
    "export { d } from '../lib/d.js';",
    "const load = () => import('./views/e.js');",
    "h('button', {}, 'Import from file');",
    "// routes: { name: () => import('./views/in-a-comment.js') }",
    "/* import { x } from '../block-comment.js'; */",
  ].join('\n');
  assert.deepEqual(importsOf(source).sort(),
    ['../lib/a.js', '../lib/b.js', '../lib/d.js', '../lib/side-effect.js', './views/e.js']);
  assert.throws(() => importsOf('const m = import(`./views/${name}.js`);'));
});

test('web/js holds app.js, lib/ and views/ only', () => {
  assert.deepEqual(readdirSync(JS).sort(), ['app.js', 'lib', 'views']);
  for (const name of ['api.js', 'router.js', 'components.js', 'format.js']) {
    assert.ok(existsSync(join(JS, 'lib', name)), `lib/${name}`);
  }
  assert.ok(views.length >= 10, `views found: ${views.length}`);
});

test('every view imports only from ../lib/', () => {
  for (const file of views) {
    const specifiers = importsOf(readFileSync(file, 'utf8'));
    assert.ok(specifiers.length > 0, `${file} imports nothing`);
    for (const specifier of specifiers) {
      assert.match(specifier, /^\.\.\/lib\/[\w-]+\.js$/, `${file} imports ${specifier}`);
    }
  }
});

test('the library imports only from itself', () => {
  for (const file of lib) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      assert.match(specifier, /^\.\/[\w-]+\.js$/, `${file} imports ${specifier}`);
    }
  }
});

test('app.js imports the library and loads each view by its route', () => {
  const specifiers = importsOf(readFileSync(join(JS, 'app.js'), 'utf8'));
  for (const specifier of specifiers) {
    assert.match(specifier, /^\.\/(lib|views)\/[\w-]+\.js$/, `app.js imports ${specifier}`);
  }
  const routed = specifiers.filter((s) => s.startsWith('./views/')).map((s) => join(JS, s)).sort();
  assert.deepEqual(routed, views, 'each view has a route, and each route a view');
});

test('every relative import names a file that exists', () => {
  for (const file of [join(JS, 'app.js'), ...views, ...lib]) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier);
      assert.ok(existsSync(target) && statSync(target).isFile(), `${file}: ${specifier} does not exist`);
    }
  }
});

test('index.html loads app.js as a module', () => {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  assert.match(html, /<script type="module" src="\/js\/app\.js"><\/script>/);
});

test('every view links against the library and exports render', async () => {
  // Loading a module checks that each name it imports is exported by the lib file it names.
  for (const file of views) {
    const view = await import(pathToFileURL(file));
    assert.equal(typeof view.render, 'function', `${file} exports render`);
  }
});
