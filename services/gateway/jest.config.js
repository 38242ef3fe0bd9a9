module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/gateway-service',
  rootDir: __dirname,
};
