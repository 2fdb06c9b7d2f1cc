// 民生实事票决: count the 赞成 marks while a deputy fills in the ballot (the server checks too).
(function () {
  var form = document.getElementById("ballot-form");
  if (!form) return;
  var seats = parseInt(form.getAttribute("data-seats"), 10);
  var counter = document.getElementById("approve-counter");
  function update() {
    var n = form.querySelectorAll('input[type=radio][value="Y"]:checked').length;
    counter.textContent = "已赞成 " + n + " 项，最多 " + seats + " 项";
    counter.classList.toggle("over", n > seats);
  }
  form.addEventListener("change", update);
  update();
})();
