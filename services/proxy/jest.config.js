module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/proxy-service',
  rootDir: __dirname,
};
