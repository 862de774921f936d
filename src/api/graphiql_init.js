// Starts GraphiQL against this server's /graphql. Add "Authorization": "Bearer <token>" in the Headers tab
// (the token comes from the login mutation).
(function () {
  var fetcher = GraphiQL.createFetcher({
    url: window.location.origin + '/graphql',
    headers: { 'X-Requested-With': 'graphiql' }
  });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
