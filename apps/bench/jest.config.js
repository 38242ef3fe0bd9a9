module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/bench',
  rootDir: __dirname,
};
