module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/proto',
  rootDir: __dirname,
};
