/**
 * Jest setupFiles (both projects): the AWS SDK's Node version notice off in every test file. Tests run
 * on the development Node (20 or later); the action runs on node24, where the notice never shows, so it
 * says nothing about the code under test. The switch is the SDK's documented one (aws/aws-sdk-js-v3#7983;
 * @aws-sdk/core emitWarningIfUnsupportedVersion). The bundles' child processes get it from
 * sim/run-action.ts and the CLI test's env; the shipped action and CLI never set it for users.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
