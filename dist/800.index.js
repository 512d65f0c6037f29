export const id = 800;
export const ids = [800];
export const modules = {

/***/ 1800:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEventBridgePort: () => (/* binding */ createEventBridgePort)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_eventbridge__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6612);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);
/* harmony import */ var _schedules_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9375);
/**
 * The real EventBridgePort: the rules of the default event bus, their targets whole, and PutTargets,
 * which replaces a target by Id (so a target is sent back exactly as ListTargetsByRule gave it, with
 * only its task definition changed: schedules/update.ts).
 */



/** 100 a page (the most both calls take); the cap only guards against a token that never ends. */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;
function createEventBridgePort(client) {
    return {
        async listRules() {
            const rules = [];
            let nextToken;
            for (let page = 0; page < MAX_PAGES; page++) {
                const output = await (0,_schedules_js__WEBPACK_IMPORTED_MODULE_1__/* .callScheduleApi */ .s)({ service: 'EventBridge', operation: 'ListRules' }, () => client.send(new _aws_sdk_client_eventbridge__WEBPACK_IMPORTED_MODULE_2__.ListRulesCommand({ Limit: PAGE_SIZE, NextToken: nextToken })));
                for (const rule of output.Rules ?? []) {
                    if (!rule.Name)
                        continue;
                    rules.push({
                        name: rule.Name,
                        arn: rule.Arn,
                        state: rule.State,
                        scheduleExpression: rule.ScheduleExpression,
                    });
                }
                nextToken = output.NextToken;
                if (!nextToken)
                    break;
            }
            return rules;
        },
        async listTargets(rule) {
            const targets = [];
            let nextToken;
            try {
                for (let page = 0; page < MAX_PAGES; page++) {
                    const output = await (0,_schedules_js__WEBPACK_IMPORTED_MODULE_1__/* .callScheduleApi */ .s)({
                        service: 'EventBridge',
                        operation: 'ListTargetsByRule',
                        subject: `rule ${JSON.stringify(rule)}`,
                    }, () => client.send(new _aws_sdk_client_eventbridge__WEBPACK_IMPORTED_MODULE_2__.ListTargetsByRuleCommand({ Rule: rule, Limit: PAGE_SIZE, NextToken: nextToken })));
                    targets.push(...(output.Targets ?? []));
                    nextToken = output.NextToken;
                    if (!nextToken)
                        break;
                }
            }
            catch (error) {
                if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAwsErrorNamed */ .X1)(error, 'ResourceNotFoundException'))
                    return undefined;
                throw error;
            }
            return targets;
        },
        async putTargets(rule, targets) {
            const output = await (0,_schedules_js__WEBPACK_IMPORTED_MODULE_1__/* .callScheduleApi */ .s)({
                service: 'EventBridge',
                operation: 'PutTargets',
                subject: `rule ${JSON.stringify(rule)}`,
                mutating: true,
            }, () => client.send(new _aws_sdk_client_eventbridge__WEBPACK_IMPORTED_MODULE_2__.PutTargetsCommand({ Rule: rule, Targets: targets })));
            // A partial success: the entries listed failed, every other target was put.
            return (output.FailedEntries ?? []).map((entry) => ({
                targetId: entry.TargetId ?? '',
                errorCode: entry.ErrorCode,
                errorMessage: entry.ErrorMessage,
            }));
        },
    };
}


/***/ })

};
