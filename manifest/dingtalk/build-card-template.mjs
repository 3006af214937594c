/**
 * The variables, components and callback params of the approval card, written out in DingTalk's card-platform export
 * format (`{"editorData": "<JSON string>", "type": "standard", "mode": "card"}`), modelled on
 * open-dingtalk/dingtalk-card-examples `examples/helloworld/helloworld.json` (schemaVersion 2.0.0; components StdCard,
 * Markdown, DividerBlock, Input, ButtonBlock; an Input that stores its text in a local variable which a button passes
 * as a callback param; buttons shown or hidden by a boolean variable). Run `node manifest/dingtalk/build-card-template.mjs`
 * after changing it; test/unit/adapters/dingtalk/card-template.test.ts checks the result against the bot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Defaults every button of helloworld.json carries (its second button, minus what each button sets). */
const HELLOWORLD_BUTTON_DEFAULTS = {"icon":{"type":"icon","icon":"","iconType":"emoji"},"urlType":"all","androidUrl":{"type":"dynamicLink","value":"","valueType":"fixed","variable":"","variableType":"global"},"pcUrl":{"type":"dynamicLink","value":"","valueType":"fixed","variable":"","variableType":"global"},"iosUrl":{"type":"dynamicLink","value":"","valueType":"fixed","variable":"","variableType":"global"},"isDtmd":false,"copyValue":{"type":"dynamicString","content":"","i18n":false},"actionSheetTitle":{"type":"dynamicString","content":"标题","i18n":false},"actionSheetMessage":{"type":"dynamicString","content":"面板描述","i18n":false},"actionSheetItems":[],"confirmTitle":{"type":"dynamicString","content":"标题","i18n":false},"confirmMessage":{"type":"dynamicString","content":"内容","i18n":false},"confirmOkText":{"type":"dynamicString","content":"确认","i18n":false},"confirmOkAction":"request","confirmOkReqActionActionId":{"type":"dynamicString","content":"","i18n":false},"confirmOkReqActionParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"confirmOkReqActionToast":{"type":"dynamicString","content":"","i18n":false},"confirmCancelText":{"type":"dynamicString","content":"取消","i18n":false},"confirmCancelAction":"none","confirmCancelReqActionActionId":{"type":"dynamicString","content":"","i18n":false},"confirmCancelReqActionParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"confirmCancelReqActionToast":{"type":"dynamicString","content":"","i18n":false},"toastContent":{"type":"dynamicString","content":"","i18n":false},"toastType":1,"customHandler":"","localVarAction":{"type":"variableValue","variableType":"global","variable":""},"booleanLocalValue":{"type":"dynamicBoolean","valueType":"fixed","value":false,"variable":"","variableType":"global"},"numberLocalValue":{"type":"dynamicNumber","valueType":"fixed","value":0,"variable":"","variableType":"global"},"stringLocalValue":{"type":"dynamicString","content":"","i18n":false},"openModalTitle":{"type":"dynamicString","content":"标题","i18n":false},"openModalHeight":500,"openModalWidth":400,"events":[],"apiName":{"type":"dynamicString","content":"","i18n":false},"apiParams":[{"type":"variable","variable":"","value":"","name":"","variableType":"global","id":"1"}],"apiRetLocalVar":{"type":"variableValue","variableType":"global","variable":""},"selectActionType":"setLocalState","selectDataKey":{"type":"variableValue","variableType":"global","variable":""},"selectParams":[],"selectOptions":{"type":"dynamicSelectOptions","valueType":"fixed","value":[],"variable":"","variableType":"global"},"selectIndex":{"type":"variableValue","variableType":"global","variable":""},"fixWidth":false,"fixedWidth":0,"autoWidth":false,"dataSources":[],"updateTargetVariable":{"type":"variableValue","variableType":"global","variable":""},"updateTargetValue":{"type":"variableValue","variableType":"global","variable":""},"jsapiName":{"type":"dynamicString","content":"","i18n":false},"jsapiParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"jsapiRetLocalVar":{"type":"variableValue","variableType":"global","variable":""},"disabledWhileForward":false,"statPoint":{"type":"dynamicString","content":"","i18n":false},"statPointParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}]};
/** The StdCard props of helloworld.json, minus cardName and tagText. */
const HELLOWORLD_STDCARD_DEFAULTS = {"url":{"type":"dynamicLink","value":"","valueType":"fixed","variable":""},"linkCondition":{"type":"dynamicVisible","value":true,"valueType":"fixed","condition":{"op":"and","conditions":[]}},"cardIcon":{"url":"@lALPDe7syH8nG_wcHA","type":"image"},"tagColor":{"type":"dynamicSelect","valueType":"fixed","value":"blue","variable":"","variableType":"global"},"tagStyle":"hollow","showCloseButton":false,"actionType":"url","urlType":"all","androidUrl":{"type":"dynamicLink","value":"","valueType":"fixed","variable":"","variableType":"global"},"pcUrl":{"type":"dynamicLink","value":"","valueType":"fixed","variable":"","variableType":"global"},"iosUrl":{"type":"dynamicLink","value":"","valueType":"fixed","variable":"","variableType":"global"},"actionId":{"type":"dynamicString","content":"","i18n":false},"params":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"successToast":{"type":"dynamicString","content":"","i18n":false},"failureToast":{"type":"dynamicString","content":"","i18n":false},"successCondition":{"op":"and","conditions":[]},"copyValue":{"type":"dynamicString","content":"","i18n":false},"actionSheetTitle":{"type":"dynamicString","content":"标题","i18n":false},"actionSheetMessage":{"type":"dynamicString","content":"面板描述","i18n":false},"actionSheetItems":[],"confirmTitle":{"type":"dynamicString","content":"标题","i18n":false},"confirmMessage":{"type":"dynamicString","content":"内容","i18n":false},"confirmOkText":{"type":"dynamicString","content":"确认","i18n":false},"confirmOkAction":"request","confirmOkReqActionActionId":{"type":"dynamicString","content":"","i18n":false},"confirmOkReqActionParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"confirmOkReqActionToast":{"type":"dynamicString","content":"","i18n":false},"confirmCancelText":{"type":"dynamicString","content":"取消","i18n":false},"confirmCancelAction":"none","confirmCancelReqActionActionId":{"type":"dynamicString","content":"","i18n":false},"confirmCancelReqActionParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"confirmCancelReqActionToast":{"type":"dynamicString","content":"","i18n":false},"toastContent":{"type":"dynamicString","content":"","i18n":false},"toastType":1,"customHandler":"","localVarAction":{"type":"variableValue","variableType":"global","variable":""},"booleanLocalValue":{"type":"dynamicBoolean","valueType":"fixed","value":false,"variable":"","variableType":"global"},"numberLocalValue":{"type":"dynamicNumber","valueType":"fixed","value":0,"variable":"","variableType":"global"},"stringLocalValue":{"type":"dynamicString","content":"","i18n":false},"openModalTitle":{"type":"dynamicString","content":"标题","i18n":false},"openModalHeight":500,"openModalWidth":400,"events":[],"apiName":{"type":"dynamicString","content":"","i18n":false},"apiParams":[{"type":"variable","variable":"","value":"","name":"","variableType":"global","id":"1"}],"apiRetLocalVar":{"type":"variableValue","variableType":"global","variable":""},"selectActionType":"setLocalState","selectDataKey":{"type":"variableValue","variableType":"global","variable":""},"selectParams":[],"selectOptions":{"type":"dynamicSelectOptions","valueType":"fixed","value":[],"variable":"","variableType":"global"},"selectIndex":{"type":"variableValue","variableType":"global","variable":""},"fixWidth":false,"fixedWidth":0,"autoWidth":false,"dataSources":[],"updateTargetVariable":{"type":"variableValue","variableType":"global","variable":""},"updateTargetValue":{"type":"variableValue","variableType":"global","variable":""},"jsapiName":{"type":"dynamicString","content":"","i18n":false},"jsapiParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"jsapiRetLocalVar":{"type":"variableValue","variableType":"global","variable":""},"disabledWhileForward":false,"statPoint":{"type":"dynamicString","content":"","i18n":false},"statPointParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}],"exposeStatPoint":{"type":"dynamicString","content":"","i18n":false},"exposeStatPointParams":[{"type":"fixed","variable":"","value":"","name":"","variableType":"global","id":"1"}]};

const visibleAlways = { type: 'dynamicVisible', value: true, valueType: 'fixed', condition: { op: 'and', conditions: [] } };
/** Shown while a boolean variable is true: the helloworld submit button's `visible` with op isTrue. */
const visibleWhen = (variable) => ({
  type: 'dynamicVisible',
  value: true,
  valueType: 'condition',
  condition: {
    op: 'and',
    conditions: [
      { value: '', op: 'isTrue', variable, variableType: 'global', type: 'variable', valueType: 'fixed', valueVariableType: 'global' },
    ],
  },
});
const str = (content) => ({ i18n: false, type: 'dynamicString', content });
const meta = (title) => ({ title, hidden: false, isLocked: false, condition: true, conditionGroup: '' });
const link = (variable) => ({ type: 'dynamicLink', value: '', valueType: 'variable', variable, variableType: 'global' });

let nodes = 0;
const nodeId = () => `node_opsgate${String(++nodes).padStart(2, '0')}`;

function markdown(variable, title, marginTop = 8) {
  return {
    componentName: 'Markdown',
    id: nodeId(),
    props: {
      mdVer: 0,
      hoverText: str(''),
      marginLeft: 12,
      marginRight: 12,
      marginTop,
      marginBottom: 0,
      visible: visibleAlways,
      content: { type: 'dynamicMarkdown', valueType: 'variable', value: '', variable, variableType: 'global' },
      innerOffset: 0,
    },
    ...meta(title),
  };
}

function divider() {
  return { componentName: 'DividerBlock', id: nodeId(), props: { visible: visibleAlways }, ...meta('分割线区块') };
}

/** A callback button: `actionType: request`, params as the click carries them in cardPrivateData.params. */
function requestButton(key, id, text, color, action, showWhen, withReason) {
  const params = [{ type: 'fixed', variable: '', value: action, name: 'action', variableType: 'global', id: '1' }];
  if (withReason) {
    params.push({ type: 'variable', variable: REASON, value: '', name: REASON, variableType: 'global', id: '2' });
  }
  return {
    $$key: String(key),
    id,
    text: str(text),
    status: 'normal',
    color,
    ...HELLOWORLD_BUTTON_DEFAULTS,
    actionType: 'request',
    url: { type: 'dynamicLink', value: '', valueType: 'fixed', variable: '', variableType: 'global' },
    actionId: str(id),
    params,
    successToast: str('已提交'),
    failureToast: str('提交失败，请重试'),
    successCondition: { op: 'and', conditions: [] },
    visible: visibleWhen(showWhen),
  };
}

function linkButton(key, id, text, variable) {
  return {
    $$key: String(key),
    id,
    text: str(text),
    status: 'normal',
    color: 'gray',
    ...HELLOWORLD_BUTTON_DEFAULTS,
    actionType: 'url',
    url: link(variable),
    pcUrl: link(variable),
    actionId: str(''),
    params: [{ type: 'fixed', variable: '', value: '', name: '', variableType: 'global', id: '1' }],
    successToast: str(''),
    failureToast: str(''),
    successCondition: { op: 'and', conditions: [] },
    visible: visibleAlways,
  };
}

const REASON = 'reject_reason';

/** Variables the bot fills (public: cardParamMap; private: userPrivateData) and the input's local variable. */
const VARIABLES = [
  ['title', 'string', '卡片标题：审核种类与名称'],
  ['status_tag', 'string', '状态标签：待处理 / 已通过 / 已拒绝 / 已过期 / 已在外部处理'],
  ['summary', 'markdown', '流水线与运行号、云、阶段与步骤、发起人、运行链接'],
  ['evidence', 'markdown', '触发人、代码来源（仓库 · 分支 · 短提交号）、提交说明、运行开始时间'],
  ['gate', 'markdown', '等待开始时间、规则（任意 1 人 / 全部审批人、超时处理）、可审批人'],
  ['status', 'string', 'open | approved | rejected | expired | decided-elsewhere'],
  ['status_text', 'markdown', '当前状态：处理中 / 谁在何时通过或拒绝及原因 / 过期'],
  ['run_url', 'string', '运行在云控制台中的地址（“打开运行”按钮）'],
  ['approval_id', 'string', 'opsgate 审批 ID（排查用）'],
  ['actions_open', 'boolean', '为 true 时显示拒绝原因输入框'],
  ['review_actions', 'boolean', '人工审核：显示“同意 / 拒绝”'],
  ['stage_actions', 'boolean', '阶段准入检查：显示“准入 / 拒绝准入”'],
  ['delay_actions', 'boolean', '延时执行：显示“立即执行 / 停止 / 推迟 1 小时”'],
];
const PRIVATE = [['private_text', 'markdown', '仅点击者可见：无权限、已处理、请回复原因等']];

const input = {
  componentName: 'Input',
  id: nodeId(),
  props: {
    placeholder: str('拒绝原因（可选，拒绝时随按钮提交）'),
    currentValue: str(`\${${REASON}}`),
    message: str('填写拒绝原因'),
    title: str('拒绝原因'),
    id: 'reason',
    params: [],
    visible: visibleWhen('actions_open'),
    status: { type: 'dynamicSelect', valueType: 'fixed', value: 'normal', variable: '', variableType: 'global' },
    actionType: 'setLocalState',
    localVarAction: { variable: REASON, variableType: 'global', varType: 'string', type: 'variableValue' },
  },
  ...meta('拒绝原因'),
};

const actions = {
  componentName: 'ButtonBlock',
  id: nodeId(),
  props: {
    buttons: [
      requestButton(0, 'approve', '同意', 'blue', 'approve', 'review_actions', false),
      requestButton(1, 'reject', '拒绝', 'red', 'reject', 'review_actions', true),
      requestButton(2, 'stage_pass', '准入', 'blue', 'approve', 'stage_actions', false),
      requestButton(3, 'stage_refuse', '拒绝准入', 'red', 'reject', 'stage_actions', true),
      requestButton(4, 'delay_run', '立即执行', 'blue', 'approve', 'delay_actions', false),
      requestButton(5, 'delay_stop', '停止', 'red', 'reject', 'delay_actions', true),
      requestButton(6, 'delay_postpone', '推迟 1 小时', 'gray', 'postpone', 'delay_actions', false),
    ],
  },
  ...meta('审批按钮'),
};

const links = {
  componentName: 'ButtonBlock',
  id: nodeId(),
  props: { buttons: [linkButton(0, 'open_run', '打开运行', 'run_url')] },
  ...meta('链接'),
};

const root = {
  componentName: 'StdCard',
  id: 'node_opsgate00',
  props: { ...HELLOWORLD_STDCARD_DEFAULTS, cardName: str('${title}'), tagText: str('${status_tag}') },
  fileName: 'opsgate-approval',
  dataSource: { list: [] },
  state: {},
  lifeCycles: {},
  methods: {},
  hidden: false,
  title: '',
  isLocked: false,
  condition: true,
  conditionGroup: '',
  children: [
    markdown('summary', '运行', 12),
    divider(),
    markdown('evidence', '触发与来源'),
    markdown('gate', '规则'),
    divider(),
    markdown('status_text', '状态'),
    markdown('private_text', '仅点击者可见'),
    input,
    actions,
    links,
  ],
};

const componentNames = ['Markdown', 'DividerBlock', 'Input', 'ButtonBlock', 'StdCard'];
/** The Input's prompt (helloworld's `extension` event chain, for this node and this local variable). */
const eventChain = {
  [`${input.id}_input`]: {
    main_success_left_callback: {
      type: 'dtUpdateLocalData',
      params: {
        actionType: '0',
        cardInstanceId: '@data{data.cardInstanceId}',
        actionId: 'reason',
        dataKey: 'main_success_left_callback',
        localData: { [REASON]: "@dtGetEventChainData{'main_success.value'}" },
      },
      callback: {},
    },
    main: { type: 'dtOpenLink', params: {}, next: "@triple{@equal{'normal','normal'},'$(main_success)',''}" },
    main_success: {
      type: 'dtCallAPI',
      params: {
        type: 'callJSAPI',
        params: {
          apiName: 'device.notification.prompt',
          params: {
            message: "@toStr{'填写拒绝原因'}",
            title: "@toStr{'拒绝原因'}",
            buttonLabels: "@dtArrayAppend{null,@dti18NAdapter{'确定','确定','OK'},@dti18NAdapter{'取消','取消','Cancel'}}",
            defaultText: `@triple{@data{data.localData.${REASON}},@data{data.localData.${REASON}},@toStr{''}}`,
          },
        },
        dataKey: 'main_success',
      },
      dataKey: 'main_success',
      callback: { success: "@triple{@equal{@toStr{@dtGetEventChainData{'main_success.buttonIndex'}},'0'},'$(main_success_left_callback)',''}" },
    },
  },
};

const variable = (priv) => ([name, type, description]) => ({
  name,
  private: priv,
  type,
  id: name,
  description,
  editorVarType: 'variables',
});
const editorData = {
  schemaVersion: '2.0.0',
  schema: {
    version: '1.0.0',
    componentsMap: componentNames.map((name) => ({
      package: '@ali/dxComponent',
      version: '1.0.0',
      exportName: name,
      main: './src/index.tsx',
      destructuring: false,
      subName: '',
      componentName: name,
    })),
    componentsTree: [root],
    i18n: {},
  },
  mockData: {
    cardData: {
      title: '人工审核：Release approval',
      status_tag: '待处理',
      summary: '流水线：**web-release #42**（华为云 CodeArts）\n\n阶段：Deploy · 步骤：Release approval\n\n[打开运行](https://devcloud.cn-north-4.huaweicloud.com/)',
      evidence: '触发人：alice（Manual）\n\n代码来源：web · main · `a1b2c3d4`\n\n提交说明：Fix login',
      gate: '等待开始：UTC+8 16:10\n\n规则：任意 1 人审批、超时 UTC+8 16:40 自动拒绝\n\n可审批：alice、bob',
      status: 'open',
      status_text: '等待人工审核：Release approval',
      run_url: 'https://devcloud.cn-north-4.huaweicloud.com/',
      approval_id: '00000000-0000-0000-0000-000000000000',
      actions_open: true,
      review_actions: true,
      stage_actions: false,
      delay_actions: false,
    },
    cardPrivateData: { private_text: '' },
    localData: { [REASON]: '' },
    richTextData: {},
  },
  editVersion: 0,
  customWidgetInfo: '',
  useCustomWidgetInfo: false,
  variableList: [...VARIABLES.map(variable(false)), ...PRIVATE.map(variable(true))],
  formList: [],
  expList: [],
  localList: [{ name: REASON, private: false, type: 'string', id: REASON, description: '拒绝原因输入框的内容', editorVarType: 'localList' }],
  hsfList: [],
  lwpList: [],
  extension: {
    extendType: 'NORMAL',
    fileTypeList: [{ fileName: 'event_chain', fileSource: JSON.stringify(eventChain), fileType: 'json' }],
  },
};

const file = { editorData: JSON.stringify(editorData), type: 'standard', mode: 'card' };
writeFileSync(join(import.meta.dirname, 'card-template.json'), `${JSON.stringify(file, null, 2)}\n`);
