module.exports = {
  ...require('../../jest.preset.js'),
  displayName: '@bosun/scheduler-service',
  rootDir: __dirname,
};
