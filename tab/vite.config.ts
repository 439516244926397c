import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokens } from '@fluentui/tokens';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Root is tab/ whichever directory vite runs from (the root scripts run it from the repo root).
const root = fileURLToPath(new URL('.', import.meta.url));

/*
 * The bundle budget (`npm run bench:tab`): the JavaScript the plan page loads first stays within 110 kB gz.
 * What keeps it there, besides each page being a lazy chunk (app.tsx):
 *   - no manual chunk groups for Fluent: a group would put every Fluent component any page uses (tables,
 *     dialogs, inputs of the lazy editors) into one chunk that the first view loads;
 *   - shared/ is declared free of side effects, so the schemas (and zod) are only bundled into the chunks
 *     that validate, while the first view takes the words it shows from shared/src/vocabulary.ts;
 *   - Fluent's `tokens` (a 30 kB object of CSS variable names) is folded into the strings it stands for.
 */

const SHARED_SOURCE = /[\\/]shared[\\/]src[\\/]/;
const FLUENT_IMPORT =
  /import\s*\{([^}]*)\}\s*from\s*['"]@fluentui\/(?:react-components|react-theme|tokens)['"]/g;

/**
 * Replaces `tokens.colorNeutralForeground1` with its value, `"var(--colorNeutralForeground1)"`, in the tab's
 * code and in Fluent's, wherever `tokens` is the one imported from Fluent. The object is then unused and
 * tree-shaken. The values come from the installed @fluentui/tokens, so the output means the same thing.
 */
function inlineFluentTokens(): Plugin {
  const values: Record<string, string> = tokens;
  return {
    name: 'cosell:inline-fluent-tokens',
    apply: 'build',
    enforce: 'post',
    transform(code, id) {
      if (!code.includes('tokens.') || !/[\\/](tab[\\/]src|node_modules[\\/]@fluentui)[\\/]/.test(id))
        return null;
      let local: string | undefined;
      for (const match of code.matchAll(FLUENT_IMPORT)) {
        for (const part of (match[1] ?? '').split(',')) {
          const [imported, alias] = part.trim().split(/\s+as\s+/);
          if (imported === 'tokens') local = alias ?? imported;
        }
      }
      if (!local) return null;
      let changed = false;
      const folded = code.replace(
        new RegExp(`(?<![\\w$.])${local}\\.([A-Za-z0-9_$]+)(?![\\w$(])`, 'g'),
        (whole: string, name: string) => {
          const value = Object.hasOwn(values, name) ? values[name] : undefined;
          if (value === undefined) return whole;
          changed = true;
          return JSON.stringify(value);
        },
      );
      return changed ? { code: folded, map: null } : null;
    },
  };
}

/**
 * The first view's stylesheet (src/first-view/first-view.css, a few kB) is written into index.html in a
 * `<style>` element rather than loaded by the entry: the first frame then waits for no request but the
 * HTML's, and the entry script (which a pending stylesheet would hold back) runs as soon as it has
 * arrived. Not imported by any module, it is neither a file of its own nor a dependency the app's chunks
 * would load again. Comments go; the rules are as written.
 */
function inlineFirstViewStylesheet(): Plugin {
  const file = fileURLToPath(new URL('src/first-view/first-view.css', import.meta.url));
  return {
    name: 'cosell:inline-first-view-stylesheet',
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        if (basename(context.filename) !== 'index.html') return html;
        const css = readFileSync(file, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\n\s*\n/g, '\n')
          .trim();
        // Text that could end the element early is refused rather than written.
        if (/<\/style/i.test(css)) throw new Error(`${file} holds "</style": it cannot be inlined`);
        return html.replace('</head>', `  <style id="first-view-style">\n${css}\n    </style>\n  </head>`);
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), inlineFluentTokens(), inlineFirstViewStylesheet()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // Two pages: the tab, and the Outlook add-in's task pane (tab/addin.html, manifest `extensions`).
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        addin: fileURLToPath(new URL('addin.html', import.meta.url)),
      },
      treeshake: { moduleSideEffects: [{ test: SHARED_SOURCE, sideEffects: false }] },
      output: {
        // React changes less often than the app and every page needs it: its own chunk stays cached.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
  server: {
    // `npm run start:func` (Functions Core Tools) listens on 7071; the dev tab talks to it same-origin.
    proxy: { '/api': 'http://127.0.0.1:7071' },
  },
});
