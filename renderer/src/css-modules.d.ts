/** Components import their plain .css files for the bundler; the import yields nothing. */
declare module '*.css';
