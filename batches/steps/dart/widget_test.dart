import 'package:flutter_test/flutter_test.dart';
import 'package:<%= package %>/app.dart';

void main() {
  testWidgets('the app starts', (tester) async {
    await tester.pumpWidget(const <%= app_class %>());
    expect(find.byType(<%= app_class %>), findsOneWidget);
  });
}
