module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/events',
  rootDir: __dirname,
};
