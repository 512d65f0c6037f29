export const id = 446;
export const ids = [446];
export const modules = {

/***/ 446:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createLogsPort: () => (/* binding */ createLogsPort)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2684);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/** The real LogsPort: does an awslogs group exist, and the newest lines of a container's stream. */


function createLogsPort(clientFor) {
    return {
        async logGroupExists(region, logGroupName) {
            const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('CloudWatchLogs', 'DescribeLogGroups', () => clientFor(region).send(new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__.DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 50 })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('CloudWatchLogs', 'DescribeLogGroups'));
            // A prefix search: only the exact name counts.
            return (output.logGroups ?? []).some((group) => group.logGroupName === logGroupName);
        },
        async lastLogEvents(region, logGroupName, logStreamName, limit) {
            try {
                const output = await (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .callAws */ .IY)('CloudWatchLogs', 'GetLogEvents', () => clientFor(region).send(new _aws_sdk_client_cloudwatch_logs__WEBPACK_IMPORTED_MODULE_1__.GetLogEventsCommand({ logGroupName, logStreamName, limit, startFromHead: false })), (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .deniedAs */ .wO)('CloudWatchLogs', 'GetLogEvents'));
                return (output.events ?? []).map((event) => ({ timestamp: event.timestamp, message: event.message }));
            }
            catch (error) {
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'ResourceNotFoundException'))
                    return undefined;
                throw error;
            }
        },
    };
}


/***/ })

};
