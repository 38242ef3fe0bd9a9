module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/node-agent-service',
  rootDir: __dirname,
};
