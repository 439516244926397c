import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Root is tab/ whichever directory vite runs from (the root scripts run it from the repo root).
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: 'fluent',
              test: /node_modules[\\/](@fluentui|@griffel|@floating-ui|tabster|keyborg)[\\/]/,
            },
            { name: 'teams-js', test: /node_modules[\\/]@microsoft[\\/]teams-js[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // `npm run start:func` (Functions Core Tools) listens on 7071; the dev tab talks to it same-origin.
    proxy: { '/api': 'http://127.0.0.1:7071' },
  },
});
